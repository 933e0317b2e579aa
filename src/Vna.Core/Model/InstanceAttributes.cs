namespace Vna.Core;

/// <summary>
/// The attributes of one instance that the archive indexes, at patient, study, series and instance level, extracted at
/// ingest (after coercion) so registration and the index never reopen the object. Text is decoded Unicode; dates are
/// DICOM text (DA/TM) so partial and odd values are kept as received.
/// </summary>
public sealed record InstanceAttributes
{
    // Patient
    public string PatientId { get; init; } = string.Empty;
    public string IssuerOfPatientId { get; init; } = string.Empty;
    public string PatientName { get; init; } = string.Empty;
    public string PatientBirthDate { get; init; } = string.Empty;
    public string PatientSex { get; init; } = string.Empty;

    // Study
    public required string StudyInstanceUid { get; init; }
    public string StudyDate { get; init; } = string.Empty;
    public string StudyTime { get; init; } = string.Empty;
    public string AccessionNumber { get; init; } = string.Empty;
    public string IssuerOfAccessionNumber { get; init; } = string.Empty;
    public string StudyDescription { get; init; } = string.Empty;
    public string StudyId { get; init; } = string.Empty;
    public string ReferringPhysicianName { get; init; } = string.Empty;

    // Series
    public required string SeriesInstanceUid { get; init; }
    public string Modality { get; init; } = string.Empty;
    public string SeriesNumber { get; init; } = string.Empty;
    public string SeriesDescription { get; init; } = string.Empty;
    public string BodyPartExamined { get; init; } = string.Empty;
    public string PerformedProcedureStepStartDate { get; init; } = string.Empty;
    public string PerformedProcedureStepStartTime { get; init; } = string.Empty;

    // Instance
    public required string SopClassUid { get; init; }
    public required string SopInstanceUid { get; init; }
    public string InstanceNumber { get; init; } = string.Empty;
    public string SpecificCharacterSet { get; init; } = string.Empty;
}
