using System.Globalization;
using System.Net;
using System.Text.Json;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Testing;

namespace Vna.Dimse.Tests;

/// <summary>
/// Storage commitment reports for a requester that cannot be reached, with the built server as a child process: the report
/// survives a crash (SIGKILL) and is delivered after the next start; one abandoned after its retry period is listed by
/// <c>GET /api/commitments</c> and <c>vna commitments</c>, and sent when the administrator retries it.
/// </summary>
public sealed class CommitmentRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task A_report_the_requester_could_not_take_is_delivered_by_the_archive_after_a_crash()
    {
        var admin = await RequirePostgresAsync();
        using var scratch = new ScratchFolder("dimse-commit-restart");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_commit", Ct);
        var reportPort = FreePorts.Next();
        var settings = Settings(database, scratch, reportPort, retryFor: "3.00:00:00");
        var study = SyntheticCt.CreateStudy(731, 1, 2).Select(i => i with { Rows = 32, Columns = 32 }).ToList();
        var transaction = DicomUid.Generate();

        await using (var server = await ServerProcess.StartAsync(settings, Ct))
        {
            await StoreAsync(server, study);

            // The requester asks and leaves at once; nothing listens at its address.
            await RequestCommitmentAsync(settings.DimsePort, transaction, study);

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
        await using var requester = await ListenAsync(reportPort, capture);
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

    [Fact(Timeout = 300_000)]
    public async Task An_abandoned_report_is_listed_for_the_administrator_and_sent_when_retried()
    {
        var admin = await RequirePostgresAsync();
        using var scratch = new ScratchFolder("dimse-commit-admin");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_commit", Ct);
        var reportPort = FreePorts.Next();
        var settings = Settings(database, scratch, reportPort, retryFor: "00:00:01");
        var study = SyntheticCt.CreateStudy(732, 1, 1).Select(i => i with { Rows = 32, Columns = 32 }).ToList();
        var transaction = DicomUid.Generate();
        await using var server = await ServerProcess.StartAsync(settings, Ct);
        await StoreAsync(server, study);
        using var http = ArchiveHttp.CreateClient();

        // The requester cannot be reached for longer than the retry period: the report is abandoned, and listed as such.
        await RequestCommitmentAsync(settings.DimsePort, transaction, study);
        JsonElement abandoned = default;
        for (var i = 0; ; i++)
        {
            using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.BaseAddress, "api/commitments?state=abandoned"), Ct));
            if (list.RootElement.GetArrayLength() == 1)
            {
                abandoned = list.RootElement[0].Clone();
                break;
            }

            Assert.True(i < 100, "no report was abandoned");
            await Task.Delay(100, Ct);
        }

        Assert.Equal(transaction, abandoned.GetProperty("transactionUid").GetString());
        Assert.Equal("PACS", abandoned.GetProperty("requesterAeTitle").GetString());
        Assert.Equal(1, abandoned.GetProperty("committedCount").GetInt32());
        Assert.True(abandoned.GetProperty("attempts").GetInt32() >= 1);
        Assert.Contains("Connection refused", abandoned.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        using (var bad = await http.GetAsync(new Uri(server.BaseAddress, "api/commitments?state=lost"), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using (var missing = await http.PostAsync(new Uri(server.BaseAddress, "api/commitments/987654321/retry"), null, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // The same through `vna commitments` (exit 3: one is abandoned).
        var id = abandoned.GetProperty("id").GetInt64();
        var listed = await VnaTool.RunAsync(["commitments", "--state", "abandoned", "--server", server.BaseAddress.ToString()], Ct);
        Assert.True(listed.ExitCode == 3, listed.Output + listed.Errors);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{id}  abandoned  transaction {transaction}  to PACS (cardiology)  committed 1, failed 0  attempts "), listed.Output, StringComparison.Ordinal);
        Assert.Contains("last error: ", listed.Output, StringComparison.Ordinal);

        // The requester is back; the administrator retries (`vna commitments retry`): the report goes out and leaves the list.
        var capture = new CommitmentReportCapture();
        await using var requester = await ListenAsync(reportPort, capture);
        var retried = await VnaTool.RunAsync(["commitments", "retry", id.ToString(CultureInfo.InvariantCulture), "--server", server.BaseAddress.ToString()], Ct);
        Assert.True(retried.ExitCode == 0, retried.Output + retried.Errors);
        Assert.Contains("is pending again", retried.Output, StringComparison.Ordinal);

        var (eventType, report, _) = await capture.Received.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(1, eventType);
        Assert.Equal(transaction, report.GetString(DicomTag.TransactionUID));
        for (var i = 0; (await http.GetStringAsync(new Uri(server.BaseAddress, "api/commitments"), Ct)) != "[]"; i++)
        {
            Assert.True(i < 100, "the delivered report is still listed");
            await Task.Delay(100, Ct);
        }

        var empty = await VnaTool.RunAsync(["commitments", "--server", server.BaseAddress.ToString()], Ct);
        Assert.Equal((0, "no storage commitment report is waiting\n"), (empty.ExitCode, empty.Output));
    }

    private static async Task<string> RequirePostgresAsync()
    {
        var (admin, problem) = await TestPostgres.GetAsync();
        if (admin is null)
        {
            var message = $"PostgreSQL is not available: {problem} (set VNA_TEST_PG, or run deploy/local/pg start)";
            Assert.SkipWhen(!TestPostgres.InCi, message);
            Assert.Fail(message);
        }

        return admin;
    }

    private static ServerSettings Settings(TestDatabase database, ScratchFolder scratch, int reportPort, string retryFor) => new()
    {
        Name = "commit",
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
            ["QueryRetrieve__CommitmentReportRetryFor"] = retryFor,
            ["QueryRetrieve__OutboundTimeout"] = "00:00:05",
        },
    };

    private static async Task StoreAsync(ServerProcess server, IEnumerable<SyntheticInstance> study)
    {
        using var http = ArchiveHttp.CreateClient();
        foreach (var instance in study)
        {
            var stored = await ArchiveHttp.PostAsync(http, server.BaseAddress, await SyntheticCt.EncodeAsync(instance, Ct), Ct, department: "cardiology");
            Assert.Equal("Stored", stored.Status);
        }
    }

    /// <summary>N-ACTION from PACS on a new association, released as soon as it is answered.</summary>
    private static async Task RequestCommitmentAsync(int port, string transaction, IEnumerable<SyntheticInstance> study)
    {
        var association = await DicomClient.ConnectAsync(
            new DicomClientOptions { Host = "127.0.0.1", Port = port },
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
                RequestedSopInstanceUid = CommitmentRequests.SopInstanceUid,
                ActionTypeId = 1,
            };
            var response = await association.SendRequestAsync(1, action, DimseOutgoingData.FromDataset(CommitmentRequests.Information(transaction, study.Select(i => (i.SopClassUid!, i.SopInstanceUid!)))), Ct);
            Assert.Equal(DimseStatus.Success, response.Command.Status);
            await association.ReleaseAsync(Ct);
        }
    }

    /// <summary>The requester's storage commitment SCP (it takes N-EVENT-REPORTs) on <paramref name="port"/>.</summary>
    private static async Task<DicomServer> ListenAsync(int port, CommitmentReportCapture capture)
    {
        var options = new DicomServerOptions();
        options.Endpoints.Add(new DicomEndpoint("127.0.0.1", port));
        var server = new DicomServer(options, new DimseServiceRegistry(capture));
        await server.StartAsync(Ct);
        return server;
    }
}
