using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Dimse;

/// <summary>The Storage Commitment SCP and bad input, driven by the toolkit's SCU over a real association.</summary>
public sealed class CommitmentScpTests : QrServerFixture
{
    private const string RequesterAe = "PACS";
    private int _reportPort;

    protected override void ConfigureArchive(ArchiveOptions archive)
    {
        _reportPort = FreePorts.Next();
        var pacs = new DepartmentOptions { Name = "cardiology" };
        pacs.AeTitles.Add(RequesterAe);
        pacs.MoveDestinations.Add(new MoveDestinationOptions { AeTitle = RequesterAe, Host = "127.0.0.1", Port = _reportPort });
        archive.Departments.Add(pacs);
        var noCommit = new DepartmentOptions { Name = "modalities" };
        noCommit.AeTitles.Add("MODALITY");
        noCommit.AllowedOperations.Add("store");
        archive.Departments.Add(noCommit);
    }

    [Fact]
    public async Task Stored_instances_are_committed_on_the_same_association_and_the_missing_one_fails()
    {
        var study = await ArchiveStudyAsync(21, 1, 2);
        var capture = new CommitmentReportCapture();
        await using var association = await ConnectAsync(RequesterAe, capture);
        var missing = DicomUid.Generate();

        var response = await RequestAsync(association, "1.2.3.4.5", [.. study.Select(s => s.Stored.SopInstanceUid), missing]);
        var (eventType, report, onOurs) = await capture.Received.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(DimseStatus.Success, response.Command.Status);
        Assert.True(onOurs); // on the requester's own association
        Assert.Equal(2, eventType);
        Assert.Equal("1.2.3.4.5", report.GetString(DicomTag.TransactionUID));
        Assert.Equal(study.Select(s => s.Stored.SopInstanceUid).Order(), report.GetSequence(DicomTag.ReferencedSOPSequence)!.Items.Select(i => i.GetString(DicomTag.ReferencedSOPInstanceUID)!).Order());
        var failed = Assert.Single(report.GetSequence(DicomTag.FailedSOPSequence)!.Items);
        Assert.Equal(missing, failed.GetString(DicomTag.ReferencedSOPInstanceUID));
        Assert.Equal((ushort)0x0112, failed.GetValue<ushort>(DicomTag.FailureReason));
        await association.ReleaseAsync(Ct);
    }

    [Fact]
    public async Task A_requester_that_releases_at_once_gets_the_report_on_a_new_association_to_its_address()
    {
        var study = await ArchiveStudyAsync(22, 1, 3);
        var capture = new CommitmentReportCapture();
        var options = new DicomServerOptions();
        options.Endpoints.Add(new DicomEndpoint("127.0.0.1", _reportPort));
        await using var requesterScp = new DicomServer(options, new DimseServiceRegistry(capture));
        await requesterScp.StartAsync(Ct);

        await using (var association = await ConnectAsync(RequesterAe, null))
        {
            var response = await RequestAsync(association, "1.2.3.4.6", [.. study.Select(s => s.Stored.SopInstanceUid)]);
            Assert.Equal(DimseStatus.Success, response.Command.Status);
            await association.ReleaseAsync(Ct);
        }

        var (eventType, report, onOurs) = await capture.Received.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(onOurs);
        Assert.Equal(1, eventType);
        Assert.Equal(3, report.GetSequence(DicomTag.ReferencedSOPSequence)!.Items.Count);
        Assert.Null(report.GetSequence(DicomTag.FailedSOPSequence));
    }

    [Fact]
    public async Task A_report_the_requester_cannot_take_is_kept_retried_and_delivered_after_a_restart()
    {
        var study = await ArchiveStudyAsync(23, 1, 2);

        // The requester asks and leaves; nothing listens at its address yet.
        await using (var association = await ConnectAsync(RequesterAe, null))
        {
            var response = await RequestAsync(association, "1.2.3.4.9", [.. study.Select(s => s.Stored.SopInstanceUid)]);
            Assert.Equal(DimseStatus.Success, response.Command.Status);
            await association.ReleaseAsync(Ct);
        }

        // Attempts fail and are counted; the report stays in the outbox, with why.
        var (attempts, error) = await WaitForOutboxAsync(row => row.Attempts >= 2);
        Assert.Contains("Exception", error, StringComparison.Ordinal);

        // A restart: what the sender held in memory is gone; the outbox is not.
        await RestartCommitmentSenderAsync();
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM commitment_outbox WHERE state = 'pending' AND transaction_uid = '1.2.3.4.9'", Ct));

        // The requester comes back: the new sender delivers the kept report, and it leaves the outbox.
        var capture = new CommitmentReportCapture();
        var options = new DicomServerOptions();
        options.Endpoints.Add(new DicomEndpoint("127.0.0.1", _reportPort));
        await using var requesterScp = new DicomServer(options, new DimseServiceRegistry(capture));
        await requesterScp.StartAsync(Ct);
        var (eventType, report, onOurs) = await capture.Received.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(attempts >= 2);
        Assert.False(onOurs);
        Assert.Equal(1, eventType);
        Assert.Equal("1.2.3.4.9", report.GetString(DicomTag.TransactionUID));
        Assert.Equal(
            study.Select(s => s.Stored.SopInstanceUid).Order(),
            report.GetSequence(DicomTag.ReferencedSOPSequence)!.Items.Select(i => i.GetString(DicomTag.ReferencedSOPInstanceUID)!).Order());
        for (var i = 0; i < 100 && await Database.ScalarAsync<long>("SELECT count(*) FROM commitment_outbox", Ct) > 0; i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM commitment_outbox", Ct));
    }

    private async Task<(int Attempts, string Error)> WaitForOutboxAsync(Func<(int Attempts, string Error), bool> condition)
    {
        for (var i = 0; ; i++)
        {
            var rows = await Database.QueryAsync("SELECT attempts, coalesce(last_error, '') FROM commitment_outbox", r => (r.GetInt32(0), r.GetString(1)), Ct);
            if (rows.Count == 1 && condition(rows[0]))
            {
                return rows[0];
            }

            Assert.True(i < 300, $"the outbox holds {rows.Count} report(s): {string.Join("; ", rows)}");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Bad_n_action_requests_get_their_statuses_and_the_association_goes_on()
    {
        await using var association = await ConnectAsync(RequesterAe, null);
        var context = association.FindPresentationContext(CommitmentStatus.SopClassUid)!;

        var wrongClass = await association.SendRequestAsync(context.Id, Action("1.2.840.10008.5.1.4.1.1.2", CommitmentStatus.SopInstanceUid, 1), DimseOutgoingData.FromDataset(Information("1.2.3", "1.2.3.4")), Ct);
        var wrongInstance = await association.SendRequestAsync(context.Id, Action(CommitmentStatus.SopClassUid, "1.2.3.9", 1), DimseOutgoingData.FromDataset(Information("1.2.3", "1.2.3.4")), Ct);
        var wrongAction = await association.SendRequestAsync(context.Id, Action(CommitmentStatus.SopClassUid, CommitmentStatus.SopInstanceUid, 7), DimseOutgoingData.FromDataset(Information("1.2.3", "1.2.3.4")), Ct);
        var noTransaction = await association.SendRequestAsync(context.Id, Action(CommitmentStatus.SopClassUid, CommitmentStatus.SopInstanceUid, 1), DimseOutgoingData.FromDataset(Information(null, "1.2.3.4")), Ct);
        var garbage = await association.SendRequestAsync(context.Id, Action(CommitmentStatus.SopClassUid, CommitmentStatus.SopInstanceUid, 1), DimseOutgoingData.FromBytes(new byte[] { 0x08, 0x00, 0x95, 0x11, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4 }), Ct);
        var echo = await association.EchoAsync(Ct);

        Assert.Equal(CommitmentStatus.NoSuchSopClass, wrongClass.Command.Status);
        Assert.Equal(CommitmentStatus.NoSuchSopInstance, wrongInstance.Command.Status);
        Assert.Equal(CommitmentStatus.NoSuchActionType, wrongAction.Command.Status);
        Assert.Equal(CommitmentStatus.MissingAttribute, noTransaction.Command.Status);
        Assert.Equal(CommitmentStatus.MissingAttribute, garbage.Command.Status);
        Assert.Equal(DimseStatus.Success, echo);
        await association.ReleaseAsync(Ct);
    }

    [Fact]
    public async Task A_department_without_commit_permission_is_refused()
    {
        await using var association = await ConnectAsync("MODALITY", null);

        var response = await RequestAsync(association, "1.2.3.4.7", ["1.2.3.4.8"]);

        Assert.Equal(CommitmentStatus.NotAuthorized, response.Command.Status);
    }

    [Fact]
    public async Task A_garbage_c_find_identifier_is_refused_with_a900_and_the_association_goes_on()
    {
        await using var association = await DicomClient.ConnectAsync(
            new DicomClientOptions { Host = "127.0.0.1", Port = Port },
            new AssociateRequest
            {
                CalledAeTitle = ServerAe,
                CallingAeTitle = RequesterAe,
                PresentationContexts =
                [
                    new PresentationContext(1, QueryRetrieveSopClasses.StudyRootFind, TransferSyntaxes.Uncompressed),
                    new PresentationContext(3, VerificationService.SopClassUid, TransferSyntaxes.Uncompressed),
                ],
            },
            Ct);
        var find = new DimseCommand(DimseCommandField.CFindRequest) { AffectedSopClassUid = QueryRetrieveSopClasses.StudyRootFind };

        var response = await association.SendRequestAsync(1, find, DimseOutgoingData.FromBytes(new byte[] { 0x10, 0x00, 0x10, 0x00, 0x50, 0x4E, 0xFF, 0x7F, 0x41 }), Ct);
        var echo = await association.EchoAsync(Ct);

        Assert.Equal(QueryRetrieveStatus.IdentifierDoesNotMatchSopClass, response.Command.Status);
        Assert.Equal(DimseStatus.Success, echo);
        await association.ReleaseAsync(Ct);
    }

    private Task<DicomAssociation> ConnectAsync(string callingAe, CommitmentReportCapture? capture) =>
        DicomClient.ConnectAsync(
            new DicomClientOptions { Host = "127.0.0.1", Port = Port, Services = capture is null ? null : new DimseServiceRegistry(capture) },
            new AssociateRequest
            {
                CalledAeTitle = ServerAe,
                CallingAeTitle = callingAe,
                PresentationContexts =
                [
                    new PresentationContext(1, CommitmentStatus.SopClassUid, TransferSyntaxes.Uncompressed),
                    new PresentationContext(3, VerificationService.SopClassUid, TransferSyntaxes.Uncompressed),
                ],
            },
            Ct);

    private Task<DimseMessage> RequestAsync(DicomAssociation association, string transaction, IReadOnlyList<string> sops)
    {
        var context = association.FindPresentationContext(CommitmentStatus.SopClassUid)!;
        return association.SendRequestAsync(
            context.Id,
            Action(CommitmentStatus.SopClassUid, CommitmentStatus.SopInstanceUid, 1),
            DimseOutgoingData.FromDataset(Information(transaction, [.. sops])),
            Ct);
    }

    private static DimseCommand Action(string sopClass, string sopInstance, ushort actionType) =>
        new(DimseCommandField.NActionRequest) { RequestedSopClassUid = sopClass, RequestedSopInstanceUid = sopInstance, ActionTypeId = actionType };

    private static DicomDataset Information(string? transaction, params string[] sops) =>
        CommitmentRequests.Information(transaction, sops.Select(sop => (QrData.CtImageStorage, sop)));
}
