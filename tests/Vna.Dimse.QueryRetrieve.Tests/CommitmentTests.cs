using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

/// <summary>Storage commitment: the request, which instances are committed (over the real index) and the report.</summary>
public sealed class CommitmentTests : IndexFixture
{
    [Fact]
    public async Task Indexed_instances_are_committed_others_fail_with_their_reason()
    {
        var study = QrData.Uid();
        var stored = new[] { QrData.Instance(study, QrData.Uid()), QrData.Instance(study, QrData.Uid()) };
        await Index.UpsertInstancesAsync(stored, Ct);
        var missing = QrData.Uid();
        var request = new CommitmentRequest(QrData.Uid(),
        [
            new ReferencedSop(QrData.CtImageStorage, stored[0].SopInstanceUid),
            new ReferencedSop(QrData.CtImageStorage, missing),
            new ReferencedSop(QrData.MrImageStorage, stored[1].SopInstanceUid),
        ]);

        var result = await new CommitmentEvaluator(Index).EvaluateAsync(request, Ct);

        Assert.Equal([request.Instances[0]], result.Committed);
        Assert.Equal(
            [
                new CommitmentFailure(request.Instances[1], CommitmentStatus.NoSuchObjectInstance),
                new CommitmentFailure(request.Instances[2], CommitmentStatus.ClassInstanceConflict),
            ],
            result.Failed);
        Assert.Equal(2, result.EventTypeId);
    }

    [Fact]
    public async Task A_large_request_is_evaluated_in_chunks()
    {
        var study = QrData.Uid();
        var stored = Enumerable.Range(0, 1200).Select(_ => QrData.Instance(study, QrData.Uid())).ToArray();
        await Index.UpsertInstancesAsync(stored, Ct);

        var request = new CommitmentRequest(QrData.Uid(), [.. stored.Select(s => new ReferencedSop(QrData.CtImageStorage, s.SopInstanceUid))]);
        var result = await new CommitmentEvaluator(Index).EvaluateAsync(request, Ct);

        Assert.Equal(1200, result.Committed.Count);
        Assert.Empty(result.Failed);
        Assert.Equal(1, result.EventTypeId);
    }

    [Fact]
    public async Task An_instance_of_a_rejected_study_is_not_committed()
    {
        var study = QrData.Uid();
        var stored = QrData.Instance(study, QrData.Uid());
        await Index.UpsertInstancesAsync([stored], Ct);
        await Index.SetStudyLifecycleStateAsync(study, StudyLifecycleState.Rejected, Ct);

        var result = await new CommitmentEvaluator(Index).EvaluateAsync(new CommitmentRequest("1.2.3", [new ReferencedSop(QrData.CtImageStorage, stored.SopInstanceUid)]), Ct);

        Assert.Equal(CommitmentStatus.NoSuchObjectInstance, Assert.Single(result.Failed).FailureReason);
    }

    [Fact]
    public void The_request_is_read_from_the_action_information()
    {
        var info = ActionInformation("1.2.3.4", ("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5"), ("1.2.840.10008.5.1.4.1.1.4", "1.2.3.4.6"));

        var request = CommitmentRequestParser.Parse(info, out var problem);

        Assert.Null(problem);
        Assert.Equal("1.2.3.4", request!.TransactionUid);
        Assert.Equal([new ReferencedSop("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5"), new ReferencedSop("1.2.840.10008.5.1.4.1.1.4", "1.2.3.4.6")], request.Instances);
    }

    [Fact]
    public void Malformed_requests_get_the_right_status()
    {
        Assert.Null(CommitmentRequestParser.Parse(null, out var none));
        Assert.Equal(CommitmentStatus.MissingAttribute, none!.Status);

        Assert.Null(CommitmentRequestParser.Parse(ActionInformation("", ("1.2", "1.3")), out var noTransaction));
        Assert.Equal([DicomTag.TransactionUID], noTransaction!.OffendingElements);

        Assert.Null(CommitmentRequestParser.Parse(ActionInformation("1.2.3"), out var noItems));
        Assert.Equal(CommitmentStatus.MissingAttribute, noItems!.Status);

        Assert.Null(CommitmentRequestParser.Parse(ActionInformation("1.2.3", ("1.2", "not a uid")), out var bad));
        Assert.Equal(CommitmentStatus.InvalidAttributeValue, bad!.Status);

        Assert.Null(CommitmentRequestParser.Parse(ActionInformation("1.2.3", ("1.2", "")), out var missingUid));
        Assert.Equal([DicomTag.ReferencedSOPInstanceUID], missingUid!.OffendingElements);
    }

    [Fact]
    public void The_report_lists_committed_and_failed_instances_with_reasons()
    {
        var ok = new ReferencedSop("1.2.840.10008.5.1.4.1.1.2", "1.2.3.1");
        var bad = new ReferencedSop("1.2.840.10008.5.1.4.1.1.2", "1.2.3.2");
        var result = new CommitmentResult("1.2.3", [ok], [new CommitmentFailure(bad, CommitmentStatus.NoSuchObjectInstance)]);

        var report = CommitmentReportBuilder.Build(result, "VNA");

        Assert.Equal("1.2.3", report.GetString(DicomTag.TransactionUID));
        Assert.Equal("VNA", report.GetString(DicomTag.RetrieveAETitle));
        Assert.Equal("1.2.3.1", report.GetSequence(DicomTag.ReferencedSOPSequence)!.Items.Single().GetString(DicomTag.ReferencedSOPInstanceUID));
        var failed = report.GetSequence(DicomTag.FailedSOPSequence)!.Items.Single();
        Assert.Equal("1.2.3.2", failed.GetString(DicomTag.ReferencedSOPInstanceUID));
        Assert.Equal((ushort)0x0112, failed.GetValue<ushort>(DicomTag.FailureReason));
    }

    private static DicomDataset ActionInformation(string transaction, params (string SopClass, string SopInstance)[] items)
    {
        var dataset = new DicomDataset();
        if (transaction.Length > 0)
        {
            dataset.AddOrUpdate(DicomTag.TransactionUID, DicomVR.UI, transaction);
        }

        var sequence = new DicomSequence(DicomTag.ReferencedSOPSequence);
        dataset.AddOrUpdate(sequence);
        foreach (var (sopClass, sopInstance) in items)
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, sopClass);
            if (sopInstance.Length > 0)
            {
                item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, sopInstance);
            }

            sequence.Add(item);
        }

        return dataset;
    }
}
