using Vna.Dicom;

namespace Vna.Testing;

/// <summary>What a storage commitment requester sends (PS3.4 J.3.2): the N-ACTION's Action Information.</summary>
public static class CommitmentRequests
{
    /// <summary>The well-known SOP Instance of the Storage Commitment Push Model (the N-ACTION's Requested SOP Instance UID).</summary>
    public const string SopInstanceUid = "1.2.840.10008.1.20.1.1";

    /// <summary>Transaction UID (left out when null) and a Referenced SOP Sequence of the given class and instance UIDs.</summary>
    public static DicomDataset Information(string? transaction, IEnumerable<(string SopClassUid, string SopInstanceUid)> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var dataset = new DicomDataset();
        if (transaction is not null)
        {
            dataset.AddOrUpdate(DicomTag.TransactionUID, DicomVR.UI, transaction);
        }

        var sequence = new DicomSequence(DicomTag.ReferencedSOPSequence);
        foreach (var (sopClass, sop) in instances)
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, sopClass);
            item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, sop);
            sequence.Add(item);
        }

        dataset.AddOrUpdate(sequence);
        return dataset;
    }
}
