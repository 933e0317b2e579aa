using Vna.Dicom;

namespace Vna.Core;

/// <summary>Extracts the attributes the archive indexes from a data set (after coercion), as decoded text.</summary>
internal static class InstanceAttributesReader
{
    public static InstanceAttributes Read(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new InstanceAttributes
        {
            PatientId = Text(dataset, DicomTag.PatientID),
            IssuerOfPatientId = Text(dataset, DicomTag.IssuerOfPatientID),
            PatientName = Text(dataset, DicomTag.PatientName),
            PatientBirthDate = Text(dataset, DicomTag.PatientBirthDate),
            PatientSex = Text(dataset, DicomTag.PatientSex),

            StudyInstanceUid = Text(dataset, DicomTag.StudyInstanceUID),
            StudyDate = Text(dataset, DicomTag.StudyDate),
            StudyTime = Text(dataset, DicomTag.StudyTime),
            AccessionNumber = Text(dataset, DicomTag.AccessionNumber),
            IssuerOfAccessionNumber = IssuerOfAccessionNumber(dataset),
            StudyDescription = Text(dataset, DicomTag.StudyDescription),
            StudyId = Text(dataset, DicomTag.StudyID),
            ReferringPhysicianName = Text(dataset, DicomTag.ReferringPhysicianName),

            SeriesInstanceUid = Text(dataset, DicomTag.SeriesInstanceUID),
            Modality = Text(dataset, DicomTag.Modality),
            SeriesNumber = Text(dataset, DicomTag.SeriesNumber),
            SeriesDescription = Text(dataset, DicomTag.SeriesDescription),
            BodyPartExamined = Text(dataset, DicomTag.BodyPartExamined),
            PerformedProcedureStepStartDate = Text(dataset, DicomTag.PerformedProcedureStepStartDate),
            PerformedProcedureStepStartTime = Text(dataset, DicomTag.PerformedProcedureStepStartTime),

            SopClassUid = Text(dataset, DicomTag.SOPClassUID),
            SopInstanceUid = Text(dataset, DicomTag.SOPInstanceUID),
            InstanceNumber = Text(dataset, DicomTag.InstanceNumber),
            SpecificCharacterSet = Text(dataset, DicomTag.SpecificCharacterSet),
        };
    }

    /// <summary>Issuer of Accession Number Sequence (0008,0051): its Local Namespace Entity ID, else its Universal Entity ID.</summary>
    private static string IssuerOfAccessionNumber(DicomDataset dataset)
    {
        var item = dataset.GetSequence(DicomTag.IssuerOfAccessionNumberSequence)?.Items.FirstOrDefault();
        if (item is null)
        {
            return string.Empty;
        }

        var local = Text(item, DicomTag.LocalNamespaceEntityID);
        return local.Length > 0 ? local : Text(item, DicomTag.UniversalEntityID);
    }

    /// <summary>The decoded text of an attribute; empty when absent, binary, or undecodable (the index must not stop an ingest).</summary>
    private static string Text(DicomDataset dataset, DicomTag tag)
    {
        // UN is decoded too: an attribute the sender encoded as unknown (explicit VR UN) is still text in the dictionary.
        var element = dataset.GetElement(tag);
        if (element is null || !(element.VR.IsString() || (element.VR == DicomVR.UN && element.Length <= 1024)))
        {
            return string.Empty;
        }

        try
        {
            return dataset.GetString(tag) ?? string.Empty;
        }
        catch (DicomDataException)
        {
            return string.Empty;
        }
    }
}
