using Vna.Core;

namespace Vna.Archive.Serialization;

/// <summary>The wire and storage form of <see cref="InstanceAttributes"/> (Vna.Core knows nothing of Orleans).</summary>
[GenerateSerializer]
[Alias("vna.InstanceAttributes")]
public struct InstanceAttributesSurrogate
{
    [Id(0)] public string PatientId;
    [Id(1)] public string IssuerOfPatientId;
    [Id(2)] public string PatientName;
    [Id(3)] public string PatientBirthDate;
    [Id(4)] public string PatientSex;
    [Id(5)] public string StudyInstanceUid;
    [Id(6)] public string StudyDate;
    [Id(7)] public string StudyTime;
    [Id(8)] public string AccessionNumber;
    [Id(9)] public string IssuerOfAccessionNumber;
    [Id(10)] public string StudyDescription;
    [Id(11)] public string StudyId;
    [Id(12)] public string ReferringPhysicianName;
    [Id(13)] public string SeriesInstanceUid;
    [Id(14)] public string Modality;
    [Id(15)] public string SeriesNumber;
    [Id(16)] public string SeriesDescription;
    [Id(17)] public string BodyPartExamined;
    [Id(18)] public string PerformedProcedureStepStartDate;
    [Id(19)] public string PerformedProcedureStepStartTime;
    [Id(20)] public string SopClassUid;
    [Id(21)] public string SopInstanceUid;
    [Id(22)] public string InstanceNumber;
    [Id(23)] public string SpecificCharacterSet;
}
