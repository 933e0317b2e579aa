using Vna.Core;

namespace Vna.Archive.Serialization;

[RegisterConverter]
public sealed class InstanceAttributesConverter : IConverter<InstanceAttributes, InstanceAttributesSurrogate>
{
    public InstanceAttributes ConvertFromSurrogate(in InstanceAttributesSurrogate s) => new()
    {
        PatientId = s.PatientId ?? string.Empty,
        IssuerOfPatientId = s.IssuerOfPatientId ?? string.Empty,
        PatientName = s.PatientName ?? string.Empty,
        PatientBirthDate = s.PatientBirthDate ?? string.Empty,
        PatientSex = s.PatientSex ?? string.Empty,
        StudyInstanceUid = s.StudyInstanceUid,
        StudyDate = s.StudyDate ?? string.Empty,
        StudyTime = s.StudyTime ?? string.Empty,
        AccessionNumber = s.AccessionNumber ?? string.Empty,
        IssuerOfAccessionNumber = s.IssuerOfAccessionNumber ?? string.Empty,
        StudyDescription = s.StudyDescription ?? string.Empty,
        StudyId = s.StudyId ?? string.Empty,
        ReferringPhysicianName = s.ReferringPhysicianName ?? string.Empty,
        SeriesInstanceUid = s.SeriesInstanceUid,
        Modality = s.Modality ?? string.Empty,
        SeriesNumber = s.SeriesNumber ?? string.Empty,
        SeriesDescription = s.SeriesDescription ?? string.Empty,
        BodyPartExamined = s.BodyPartExamined ?? string.Empty,
        PerformedProcedureStepStartDate = s.PerformedProcedureStepStartDate ?? string.Empty,
        PerformedProcedureStepStartTime = s.PerformedProcedureStepStartTime ?? string.Empty,
        SopClassUid = s.SopClassUid,
        SopInstanceUid = s.SopInstanceUid,
        InstanceNumber = s.InstanceNumber ?? string.Empty,
        SpecificCharacterSet = s.SpecificCharacterSet ?? string.Empty,
    };

    public InstanceAttributesSurrogate ConvertToSurrogate(in InstanceAttributes a) => new()
    {
        PatientId = a.PatientId,
        IssuerOfPatientId = a.IssuerOfPatientId,
        PatientName = a.PatientName,
        PatientBirthDate = a.PatientBirthDate,
        PatientSex = a.PatientSex,
        StudyInstanceUid = a.StudyInstanceUid,
        StudyDate = a.StudyDate,
        StudyTime = a.StudyTime,
        AccessionNumber = a.AccessionNumber,
        IssuerOfAccessionNumber = a.IssuerOfAccessionNumber,
        StudyDescription = a.StudyDescription,
        StudyId = a.StudyId,
        ReferringPhysicianName = a.ReferringPhysicianName,
        SeriesInstanceUid = a.SeriesInstanceUid,
        Modality = a.Modality,
        SeriesNumber = a.SeriesNumber,
        SeriesDescription = a.SeriesDescription,
        BodyPartExamined = a.BodyPartExamined,
        PerformedProcedureStepStartDate = a.PerformedProcedureStepStartDate,
        PerformedProcedureStepStartTime = a.PerformedProcedureStepStartTime,
        SopClassUid = a.SopClassUid,
        SopInstanceUid = a.SopInstanceUid,
        InstanceNumber = a.InstanceNumber,
        SpecificCharacterSet = a.SpecificCharacterSet,
    };
}
