namespace Vna.Testing;

/// <summary>The patient and study attributes shared by the instances of one synthetic CT study (all made up).</summary>
public sealed record SyntheticStudy
{
    public required string StudyInstanceUid { get; init; }

    public required string PatientId { get; init; }

    public required string PatientName { get; init; }

    public string PatientBirthDate { get; init; } = "19620314";

    public string PatientSex { get; init; } = "F";

    public string StudyDate { get; init; } = "20250611";

    public string StudyTime { get; init; } = "101530";

    public required string AccessionNumber { get; init; }

    public string StudyId { get; init; } = "1";

    public string StudyDescription { get; init; } = "CT CHEST WITHOUT CONTRAST";

    public string ReferringPhysicianName { get; init; } = "Synthetic^Referrer^^Dr";

    public string InstitutionName { get; init; } = "Vna Test Hospital";

    public required string FrameOfReferenceUid { get; init; }
}
