namespace Vna.Testing;

/// <summary>
/// One synthetic CT image: a study, its series and instance identity, and what seeds its pixels. UIDs set to null are left
/// out of the object (to make bad input); two instances that differ only in <see cref="PixelSeed"/> have different content.
/// </summary>
public sealed record SyntheticInstance
{
    public required SyntheticStudy Study { get; init; }

    /// <summary>Overrides the study's Study Instance UID (say, with a malformed one).</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Leaves the Study Instance UID out altogether.</summary>
    public bool OmitStudyInstanceUid { get; init; }

    public required string? SeriesInstanceUid { get; init; }

    public required string? SopInstanceUid { get; init; }

    public string? SopClassUid { get; init; } = SyntheticCt.CtImageStorage;

    public int SeriesNumber { get; init; } = 1;

    public string SeriesDescription { get; init; } = "AXIAL 5.0 STANDARD";

    public required int InstanceNumber { get; init; }

    public int PixelSeed { get; init; }

    public int Rows { get; init; } = 512;

    public int Columns { get; init; } = 512;

    /// <summary>The Study Instance UID written into the object: none when omitted, <see cref="StudyInstanceUid"/> when set, else the study's.</summary>
    public string? EffectiveStudyInstanceUid => OmitStudyInstanceUid ? null : StudyInstanceUid ?? Study.StudyInstanceUid;
}
