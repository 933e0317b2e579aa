using Vna.Dicom;

namespace Vna.Bench.QrFind;

/// <summary>The study-level queries measured, as (name, findscu -k arguments, identifier keys).</summary>
internal static class BenchQueries
{
    /// <summary>The return keys every query asks for (as the peer baselines' findscu line does).</summary>
    public static readonly DicomTag[] ReturnKeys =
    [
        DicomTag.PatientName, DicomTag.PatientID, DicomTag.PatientBirthDate, DicomTag.StudyInstanceUID, DicomTag.StudyDate,
        DicomTag.StudyTime, DicomTag.AccessionNumber, DicomTag.StudyDescription, DicomTag.ModalitiesInStudy,
        DicomTag.NumberOfStudyRelatedSeries, DicomTag.NumberOfStudyRelatedInstances,
    ];

    public static IReadOnlyList<(string Name, DicomTag Tag, string Value)> For(SeededIndex index) =>
    [
        ("exact Patient ID", DicomTag.PatientID, index.PatientId),
        ("Study Instance UID", DicomTag.StudyInstanceUID, index.StudyInstanceUid),
        ("name wildcard", DicomTag.PatientName, index.NamePattern),
        ("one day", DicomTag.StudyDate, index.OneDay),
        ("one month", DicomTag.StudyDate, index.OneMonth),
        ("Modality CT", DicomTag.ModalitiesInStudy, "CT"),
    ];

    public static DicomDataset Identifier(DicomTag tag, string value)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        foreach (var key in ReturnKeys)
        {
            var vr = DicomDictionary.Lookup(key)!.VR;
            identifier.AddOrUpdate(new DicomElement(key, vr, ReadOnlyMemory<byte>.Empty));
        }

        identifier.AddOrUpdate(tag, DicomDictionary.Lookup(tag)!.VR, value);
        return identifier;
    }
}
