using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Index.Postgres;
using Vna.Storage;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Dimse;

/// <summary>
/// The query/retrieve services on a real DICOM listener (the toolkit's <see cref="DicomServer"/>) over the real
/// PostgreSQL index and a real hot tier folder: instances are written as Part 10 files under the hot root and registered
/// in the index. One per test class instance; the listener is on 127.0.0.1 (this process's namespace).
/// </summary>
public abstract class QrServerFixture : IndexFixture
{
    public const string ServerAe = "VNA";

    private static int s_nextPort = 41210;
    private FileSystemHotStore? _hot;
    private DicomServer? _server;

    protected string HotRoot { get; private set; } = string.Empty;

    protected string WorkFolder { get; private set; } = string.Empty;

    protected int Port { get; private set; }

    protected ArchiveOptions Archive { get; } = new() { DefaultDepartment = "default" };

    protected QueryRetrieveOptions QrOptions { get; } = new()
    {
        PendingInterval = TimeSpan.FromMilliseconds(200),
        CommitmentSameAssociationWindow = TimeSpan.FromMilliseconds(300),
        CommitmentReportPollInterval = TimeSpan.FromMilliseconds(100),
        CommitmentReportRetryInterval = TimeSpan.FromMilliseconds(200),
        CommitmentReportMaxRetryInterval = TimeSpan.FromMilliseconds(400),
    };

    /// <summary>The running sender of the outbox's reports (stopped, and replaced, by <see cref="RestartCommitmentSenderAsync"/>).</summary>
    protected CommitmentReportSender Sender { get; private set; } = null!;

    /// <summary>Replaces the content source (a tier that recalls, a failing one).</summary>
    protected virtual IInstanceContentSource ContentSource(IHotStore hot) => new HotInstanceContentSource(hot);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        WorkFolder = Directory.CreateTempSubdirectory("vna-qr-dimse-").FullName;
        HotRoot = Path.Combine(WorkFolder, "hot");
        Directory.CreateDirectory(HotRoot);
        _hot = new FileSystemHotStore(new HotStoreOptions { RootPath = HotRoot });
        ConfigureArchive(Archive);

        var qr = Microsoft.Extensions.Options.Options.Create(QrOptions);
        var departments = new CallerDepartment(new StaticOptionsMonitor<ArchiveOptions>(Archive));
        var runner = new RetrieveRunner(ContentSource(_hot), new PassThroughTranscoder(), qr, TimeProvider.System, NullLogger<RetrieveRunner>.Instance);
        var registry = new DimseServiceRegistry(
            new VerificationService(),
            new QueryService(new FindService(Index, qr, NullLogger<FindService>.Instance), departments, NullLogger<QueryService>.Instance),
            new RetrieveService(new InstanceResolver(Index), runner, departments, qr, NullLogger<RetrieveService>.Instance),
            new CommitmentService(new CommitmentEvaluator(Index), StartCommitmentSender(), departments, qr, NullLogger<CommitmentService>.Instance));

        for (var attempt = 0; ; attempt++)
        {
            Port = Interlocked.Increment(ref s_nextPort);
            if (Port > 41249)
            {
                Interlocked.Exchange(ref s_nextPort, 41210);
            }

            var options = new DicomServerOptions { MaxAssociations = 16 };
            options.Endpoints.Add(new DicomEndpoint("127.0.0.1", Port));
            _server = new DicomServer(options, registry);
            try
            {
                await _server.StartAsync(Ct);
                break;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 20)
            {
                await _server.DisposeAsync();
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Sender is not null)
        {
            await Sender.StopAsync(CancellationToken.None);
            Sender.Dispose();
        }

        _hot?.Dispose();
        if (WorkFolder.Length > 0 && Directory.Exists(WorkFolder))
        {
            Directory.Delete(WorkFolder, recursive: true);
        }

        await base.DisposeAsync();
    }

    /// <summary>
    /// What a restart does to the commitment reports: the sender stops (with whatever it held in memory), and a new
    /// reporter and sender over a new outbox object start on the same database. The listener keeps the old reporter.
    /// </summary>
    protected async Task RestartCommitmentSenderAsync()
    {
        await Sender.StopAsync(CancellationToken.None);
        Sender.Dispose();
        _ = StartCommitmentSender();
    }

    private CommitmentReporter StartCommitmentSender()
    {
        var qr = Microsoft.Extensions.Options.Options.Create(QrOptions);
        var outbox = new PostgresCommitmentOutbox(Database.DataSource);
        var reporter = new CommitmentReporter(outbox, qr, TimeProvider.System, NullLogger<CommitmentReporter>.Instance);
        Sender = new CommitmentReportSender(outbox, reporter, new StaticOptionsMonitor<ArchiveOptions>(Archive), qr, TimeProvider.System, NullLogger<CommitmentReportSender>.Instance);
        Sender.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return reporter;
    }

    /// <summary>Departments and destinations for the test (default: the "default" department may do everything).</summary>
    protected virtual void ConfigureArchive(ArchiveOptions archive)
    {
    }

    /// <summary>Writes synthetic CT instances to the hot tier and registers them; <paramref name="attributes"/> may change the index row.</summary>
    protected async Task<List<ArchivedInstance>> ArchiveStudyAsync(
        int number, int series, int perSeries, Func<InstanceAttributes, InstanceAttributes>? attributes = null, Func<SyntheticStudy, SyntheticStudy>? study = null)
    {
        var synthetic = SyntheticCt.CreateStudy(number, series, perSeries);
        var result = new List<ArchivedInstance>();
        foreach (var s in synthetic)
        {
            var instance = s with { Rows = 32, Columns = 32, Study = study?.Invoke(s.Study) ?? s.Study };
            var bytes = await SyntheticCt.EncodeAsync(instance, Ct);
            var location = $"studies/{instance.Study.StudyInstanceUid}/{instance.SeriesInstanceUid}/{instance.SopInstanceUid}.dcm";
            var path = Path.Combine(HotRoot, location);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes, Ct);
            var a = new InstanceAttributes
            {
                PatientId = instance.Study.PatientId,
                PatientName = instance.Study.PatientName,
                PatientBirthDate = instance.Study.PatientBirthDate,
                PatientSex = instance.Study.PatientSex,
                StudyInstanceUid = instance.Study.StudyInstanceUid,
                StudyDate = instance.Study.StudyDate,
                StudyTime = instance.Study.StudyTime,
                AccessionNumber = instance.Study.AccessionNumber,
                StudyDescription = instance.Study.StudyDescription,
                StudyId = instance.Study.StudyId,
                SeriesInstanceUid = instance.SeriesInstanceUid!,
                Modality = "CT",
                SeriesNumber = instance.SeriesNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                SeriesDescription = instance.SeriesDescription,
                SopClassUid = SyntheticCt.CtImageStorage,
                SopInstanceUid = instance.SopInstanceUid!,
                InstanceNumber = instance.InstanceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var stored = new StoredInstance
            {
                Attributes = attributes?.Invoke(a) ?? a,
                TransferSyntaxUid = DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
                Size = bytes.Length,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                Tier = StorageTier.Hot,
                Location = location,
                SourceDepartment = "default",
                ReceivedAt = DateTimeOffset.UtcNow,
            };
            result.Add(new ArchivedInstance(stored, bytes));
        }

        await Index.UpsertInstancesAsync([.. result.Select(r => r.Stored)], Ct);
        return result;
    }

    /// <summary>Runs a DCMTK tool against the listener (TCP_NODELAY=1) in <see cref="WorkFolder"/> or <paramref name="folder"/>.</summary>
    protected async Task<Interop.ToolRun> RunToolAsync(string tool, IEnumerable<string> arguments, string? folder = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo(tool)
        {
            WorkingDirectory = folder ?? WorkFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TCP_NODELAY"] = "1";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Interop.ToolRun(process.ExitCode, await output, await errors);
    }

    /// <summary>The data set bytes of a Part 10 file (after its File Meta Information), to compare objects whatever meta a receiver wrote.</summary>
    protected static async Task<string> DatasetHashAsync(byte[] file)
    {
        using var stream = new MemoryStream(file);
        var (dataset, _) = await Part10Header.SkipAsync(stream, CancellationToken.None);
        using var rest = new MemoryStream();
        await dataset.CopyToAsync(rest);
        return Convert.ToHexStringLower(SHA256.HashData(rest.ToArray()));
    }

    protected IPEndPoint EndPoint => new(IPAddress.Loopback, Port);
}
