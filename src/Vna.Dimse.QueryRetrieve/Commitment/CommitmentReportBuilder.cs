using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// The Event Information of the storage commitment N-EVENT-REPORT (PS3.4 J.3.3.1): Transaction UID, Retrieve AE Title,
/// Referenced SOP Sequence (committed) and, for event type 2, Failed SOP Sequence with each Failure Reason.
/// </summary>
public static class CommitmentReportBuilder
{
    public static DicomDataset Build(CommitmentResult result, string? retrieveAeTitle)
    {
        ArgumentNullException.ThrowIfNull(result);
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.TransactionUID, DicomVR.UI, result.TransactionUid);
        if (retrieveAeTitle is { Length: > 0 } && result.Committed.Count > 0)
        {
            dataset.AddOrUpdate(DicomTag.RetrieveAETitle, DicomVR.AE, retrieveAeTitle);
        }

        if (result.Committed.Count > 0)
        {
            var committed = new DicomSequence(DicomTag.ReferencedSOPSequence);
            dataset.AddOrUpdate(committed);
            foreach (var instance in result.Committed)
            {
                committed.Add(Item(instance));
            }
        }

        if (result.Failed.Count > 0)
        {
            var failed = new DicomSequence(DicomTag.FailedSOPSequence);
            dataset.AddOrUpdate(failed);
            foreach (var failure in result.Failed)
            {
                var item = Item(failure.Instance);
                item.AddOrUpdateValues(DicomTag.FailureReason, DicomVR.US, failure.FailureReason);
                failed.Add(item);
            }
        }

        return dataset;
    }

    private static DicomDataset Item(ReferencedSop instance)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, instance.SopClassUid);
        item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, instance.SopInstanceUid);
        return item;
    }
}
