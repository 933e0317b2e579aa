using System.Globalization;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Testing;

namespace Vna.Dimse.Tests;

/// <summary>
/// Storage commitment reports survive a crash of the archive: the built server (a child process) answers a requester
/// that left at once and cannot be reached, keeps the report, is killed (SIGKILL), starts again, and delivers the report
/// when the requester listens.
/// </summary>
public sealed class CommitmentRestartTests
{
    private const string CommitmentSopInstance = "1.2.840.10008.1.20.1.1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task A_report_the_requester_could_not_take_is_delivered_by_the_archive_after_a_crash()
    {
        var (admin, problem) = await TestPostgres.GetAsync();
        if (admin is null)
        {
            var message = $"PostgreSQL is not available: {problem} (set VNA_TEST_PG, or run deploy/local/pg start)";
            Assert.SkipWhen(!TestPostgres.InCi, message);
            Assert.Fail(message);
        }

        using var scratch = new ScratchFolder("dimse-commit-restart");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_commit", Ct);
        var reportPort = FreePorts.Next();
        var settings = new ServerSettings
        {
            Name = "commit-restart",
            Postgres = database.ConnectionString,
            WorkDirectory = scratch.Path,
            DataDirectory = scratch.Sub("data"),
            Configuration = new Dictionary<string, string>
            {
                ["Archive__Departments__0__Name"] = "cardiology",
                ["Archive__Departments__0__AeTitles__0"] = "PACS",
                ["Archive__Departments__0__MoveDestinations__0__AeTitle"] = "PACS",
                ["Archive__Departments__0__MoveDestinations__0__Host"] = "127.0.0.1",
                ["Archive__Departments__0__MoveDestinations__0__Port"] = reportPort.ToString(CultureInfo.InvariantCulture),
                ["QueryRetrieve__CommitmentSameAssociationWindow"] = "00:00:00.300",
                ["QueryRetrieve__CommitmentReportPollInterval"] = "00:00:00.200",
                ["QueryRetrieve__CommitmentReportRetryInterval"] = "00:00:00.200",
                ["QueryRetrieve__CommitmentReportMaxRetryInterval"] = "00:00:01",
                ["QueryRetrieve__OutboundTimeout"] = "00:00:05",
            },
        };
        var study = SyntheticCt.CreateStudy(731, 1, 2).Select(i => i with { Rows = 32, Columns = 32 }).ToList();
        var transaction = DicomUid.Generate();

        await using (var server = await ServerProcess.StartAsync(settings, Ct))
        {
            using var http = ArchiveHttp.CreateClient();
            foreach (var instance in study)
            {
                var stored = await ArchiveHttp.PostAsync(http, server.BaseAddress, await SyntheticCt.EncodeAsync(instance, Ct), Ct, department: "cardiology");
                Assert.Equal("Stored", stored.Status);
            }

            // The requester asks and leaves at once; nothing listens at its address.
            var association = await DicomClient.ConnectAsync(
                new DicomClientOptions { Host = "127.0.0.1", Port = settings.DimsePort },
                new AssociateRequest
                {
                    CalledAeTitle = "VNA",
                    CallingAeTitle = "PACS",
                    PresentationContexts = [new PresentationContext(1, CommitmentReportCapture.SopClassUid, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid])],
                },
                Ct);
            await using (association)
            {
                var action = new DimseCommand(DimseCommandField.NActionRequest)
                {
                    RequestedSopClassUid = CommitmentReportCapture.SopClassUid,
                    RequestedSopInstanceUid = CommitmentSopInstance,
                    ActionTypeId = 1,
                };
                var response = await association.SendRequestAsync(1, action, DimseOutgoingData.FromDataset(Request(transaction, study)), Ct);
                Assert.Equal(DimseStatus.Success, response.Command.Status);
                await association.ReleaseAsync(Ct);
            }

            // It tries, fails, and keeps the report; then the archive crashes.
            for (var i = 0; await database.ScalarAsync<long>("SELECT count(*) FROM commitment_outbox WHERE attempts >= 1", Ct) == 0; i++)
            {
                Assert.True(i < 200, "no failed attempt was recorded in commitment_outbox");
                await Task.Delay(100, Ct);
            }

            await server.KillAsync(Ct);
        }

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM commitment_outbox WHERE state = 'pending'", Ct));

        // The requester is back; so is the archive, which delivers the kept report.
        var capture = new CommitmentReportCapture();
        var options = new DicomServerOptions();
        options.Endpoints.Add(new DicomEndpoint("127.0.0.1", reportPort));
        await using var requester = new DicomServer(options, new DimseServiceRegistry(capture));
        await requester.StartAsync(Ct);
        await using var restarted = await ServerProcess.StartAsync(settings with { Name = "commit-restart-2" }, Ct);
        // Within the poll interval, or the lease (2 × OutboundTimeout + 60 s) when the crash came while an attempt held it.
        var (eventType, report, onOurs) = await capture.Received.WaitAsync(TimeSpan.FromSeconds(150), Ct);

        Assert.False(onOurs);
        Assert.Equal(1, eventType);
        Assert.Equal(transaction, report.GetString(DicomTag.TransactionUID));
        Assert.Equal(study.Select(i => i.SopInstanceUid!).Order(), report.GetSequence(DicomTag.ReferencedSOPSequence)!.Items.Select(i => i.GetString(DicomTag.ReferencedSOPInstanceUID)!).Order());
        for (var i = 0; await database.ScalarAsync<long>("SELECT count(*) FROM commitment_outbox", Ct) > 0; i++)
        {
            Assert.True(i < 100, "the delivered report is still in commitment_outbox");
            await Task.Delay(100, Ct);
        }
    }

    private static DicomDataset Request(string transaction, IEnumerable<SyntheticInstance> instances)
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.TransactionUID, DicomVR.UI, transaction);
        var sequence = new DicomSequence(DicomTag.ReferencedSOPSequence);
        foreach (var instance in instances)
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, instance.SopClassUid!);
            item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, instance.SopInstanceUid!);
            sequence.Add(item);
        }

        dataset.AddOrUpdate(sequence);
        return dataset;
    }
}
