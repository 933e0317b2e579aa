using Vna.Core;

namespace Vna.Policies;

/// <summary>
/// What a policy needs to know of a study: its attributes (for the rules), its dates (for the anchors), where it is and
/// where it stands in its life. Built by the study grain from its state and by the preview from the index.
/// </summary>
public sealed record StudyFacts
{
    public required string StudyInstanceUid { get; init; }

    public IReadOnlyList<string> Modalities { get; init; } = [];

    public IReadOnlyList<string> Departments { get; init; } = [];

    public IReadOnlyList<string> BodyParts { get; init; } = [];

    public IReadOnlyList<string> SopClasses { get; init; } = [];

    public string StudyDescription { get; init; } = string.Empty;

    public DateOnly? StudyDate { get; init; }

    public DateOnly? PatientBirthDate { get; init; }

    /// <summary>When the archive first received an instance of the study.</summary>
    public required DateTimeOffset FirstReceivedAt { get; init; }

    /// <summary>The last recorded read of the study (null: never read).</summary>
    public DateTimeOffset? LastAccessAt { get; init; }

    /// <summary>The hottest tier holding an instance of the study (a move is due while any instance is hotter than the target).</summary>
    public StorageTier Tier { get; init; }

    public long TotalBytes { get; init; }

    public int InstanceCount { get; init; }

    public StudyLifecycleState State { get; init; }

    /// <summary>When the study was rejected (its grace period counts from then).</summary>
    public DateTimeOffset? RejectedAt { get; init; }

    public bool OnLegalHold { get; init; }

    /// <summary>The patient's age in whole years on the study date, or null when either date is unknown.</summary>
    public int? PatientAgeAtStudy()
    {
        if (StudyDate is not { } study || PatientBirthDate is not { } birth || study < birth)
        {
            return null;
        }

        var age = study.Year - birth.Year;
        if (study.Month < birth.Month || (study.Month == birth.Month && study.Day < birth.Day))
        {
            age--;
        }

        return age;
    }

    /// <summary>Parses a DICOM DA value (YYYYMMDD); null when it is not one.</summary>
    public static DateOnly? ParseDicomDate(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.AsSpan().Trim();
        if (text.Length != 8)
        {
            return null;
        }

        var y = 0;
        var m = 0;
        var d = 0;
        for (var i = 0; i < 8; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9)
            {
                return null;
            }

            if (i < 4)
            {
                y = (y * 10) + digit;
            }
            else if (i < 6)
            {
                m = (m * 10) + digit;
            }
            else
            {
                d = (d * 10) + digit;
            }
        }

        return y is >= 1 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m) ? new DateOnly(y, m, d) : null;
    }
}
