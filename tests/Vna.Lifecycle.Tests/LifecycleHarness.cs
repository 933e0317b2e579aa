using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Configuration;
using Vna.Archive.Grains;
using Vna.Archive.Lifecycle;
using Vna.Archive.Tiers;
using Vna.Core;
using Vna.Dicom;
using Vna.Index.Postgres;
using Vna.Index.Postgres.Migrations;
using Vna.Storage;
using Vna.Storage.Warm;
using Vna.Testing;
using Vna.Tiers;

namespace Vna.Lifecycle.Tests;

/// <summary>
/// One archive in this process: an Orleans silo (localhost clustering, state and reminders in memory) whose study grains
/// write a fresh PostgreSQL database, a hot tier in a scratch folder, the lifecycle's services, optionally the tiers
/// against real S3 buckets, and a fake clock for the lifecycle and the tiers (years pass in a test; Orleans keeps real time).
/// </summary>
internal sealed class LifecycleHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly IHost _host;
    private readonly ScratchFolder _scratch;

    private LifecycleHarness(IHost host, ScratchFolder scratch, TestDatabase database, FileSystemHotStore hot, FakeTimeProvider clock)
    {
        _host = host;
        _scratch = scratch;
        Database = database;
        Hot = hot;
        Clock = clock;
    }

    public TestDatabase Database { get; }

    public FileSystemHotStore Hot { get; }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public PolicyCatalog Catalog => Services.GetRequiredService<PolicyCatalog>();

    public LegalHoldService Holds => Services.GetRequiredService<LegalHoldService>();

    public PostgresLifecycleStore Store => Services.GetRequiredService<PostgresLifecycleStore>();

    public PostgresAuditSink Audit => Services.GetRequiredService<PostgresAuditSink>();

    public IIndexStore Index => Services.GetRequiredService<IIndexStore>();

    /// <summary>Starts the archive; skips (or under CI fails) when there is no PostgreSQL.</summary>
    public static async Task<LifecycleHarness> StartAsync(
        CancellationToken cancellationToken,
        Action<LifecycleOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        S3StorageOptions? s3 = null)
    {
        var admin = await RequirePostgresAsync();
        var database = await TestDatabase.CreateAsync(admin, "vna_lifecycle", cancellationToken);
        await new PostgresMigrator(database.DataSource).MigrateAsync(cancellationToken);
        var scratch = new ScratchFolder("lifecycle-harness");
        var hot = new FileSystemHotStore(new HotStoreOptions { RootPath = scratch.Sub("hot") });
        var clock = new FakeTimeProvider(Start);
        var options = new LifecycleOptions { MinReminderDelay = TimeSpan.FromMinutes(1) };
        configure?.Invoke(options);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddSingleton<IIndexStore>(new PostgresIndexStore(dataSource));
        builder.Services.AddSingleton<IHotStore>(hot);
        builder.Services.AddSingleton<IInstanceTranscoder, PassThroughTranscoder>();
        builder.Services.AddSingleton(sp => new PostgresAuditSink(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<PostgresAuditSink>());
        builder.Services.AddKeyedSingleton<TimeProvider>(LifecycleClock.ServiceKey, clock);
        builder.Services.AddKeyedSingleton<TimeProvider>(TiersClock.ServiceKey, clock);
        builder.Services.AddVnaLifecycleServices(options);
        if (s3 is not null)
        {
            var tiers = new TiersOptions { Enabled = true, S3 = s3, RecallPollInterval = TimeSpan.FromHours(1), RestoreRetryAfter = TimeSpan.FromHours(1) };
            builder.Services.AddVnaTiersServices(tiers, scratch.Sub("tiers-tmp"));
        }

        services?.Invoke(builder.Services);
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .AddMemoryGrainStorage("studies")
            .UseInMemoryReminderService()
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new LifecycleHarness(host, scratch, database, hot, clock);
    }

    public static async Task<string> RequirePostgresAsync()
    {
        var (admin, problem) = await TestPostgres.GetAsync();
        if (admin is not null)
        {
            return admin;
        }

        if (TestPostgres.InCi)
        {
            Assert.Fail("CI=true, so this fails rather than skips: no PostgreSQL: " + problem);
        }

        Assert.Skip("No PostgreSQL for the lifecycle tests: " + problem);
        return string.Empty;
    }

    /// <summary>Activates every shipped policy file (policies/*.yaml) through the catalog, as an officer would.</summary>
    public async Task ActivateShippedPoliciesAsync(CancellationToken cancellationToken)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "policies"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var result = await Catalog.ActivateAsync(await File.ReadAllTextAsync(file, cancellationToken), Path.GetFileName(file), "user:officer", "test set-up", confirm: false, cancellationToken);
            Assert.True(result.Activated, Path.GetFileName(file));
        }
    }

    /// <summary>Stores a synthetic CT study on the hot tier (received now on the fake clock) and registers it with its grain.</summary>
    public async Task<IReadOnlyList<StoredInstance>> IngestAsync(
        int number,
        CancellationToken cancellationToken,
        string? studyDate = null,
        string birthDate = "19620314",
        string modality = "CT",
        string department = "radiology",
        int instances = 2)
    {
        var now = Clock.GetUtcNow();
        var synthetic = SyntheticCt.CreateStudy(number, 1, instances);
        var stored = new List<StoredInstance>();
        foreach (var instance in synthetic)
        {
            var bytes = await SyntheticCt.EncodeAsync(instance, cancellationToken);
            var sha = SyntheticCt.Sha256(bytes);
            var write = await Hot.BeginWriteAsync(cancellationToken);
            await using (write)
            {
                await write.Stream.WriteAsync(bytes, cancellationToken);
                var location = await write.CommitAsync(instance.Study.StudyInstanceUid, instance.SeriesInstanceUid!, instance.SopInstanceUid!, sha, cancellationToken);
                stored.Add(new StoredInstance
                {
                    Attributes = new InstanceAttributes
                    {
                        PatientId = instance.Study.PatientId,
                        PatientName = instance.Study.PatientName,
                        PatientBirthDate = birthDate,
                        StudyInstanceUid = instance.Study.StudyInstanceUid,
                        StudyDate = studyDate ?? now.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                        StudyDescription = instance.Study.StudyDescription,
                        SeriesInstanceUid = instance.SeriesInstanceUid!,
                        Modality = modality,
                        BodyPartExamined = "CHEST",
                        SopClassUid = SyntheticCt.CtImageStorage,
                        SopInstanceUid = instance.SopInstanceUid!,
                        InstanceNumber = instance.InstanceNumber.ToString(CultureInfo.InvariantCulture),
                    },
                    TransferSyntaxUid = DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
                    Size = bytes.Length,
                    Sha256 = sha,
                    Tier = StorageTier.Hot,
                    Location = location,
                    SourceDepartment = department,
                    ReceivedAt = now,
                });
            }
        }

        var results = await Grains.GetGrain<IStudyGrain>(stored[0].StudyInstanceUid).RegisterAsync([.. stored], (int)DuplicatePolicy.Reject);
        Assert.All(results, r => Assert.Equal(RegistrationOutcome.Registered, r.Outcome));
        return stored;
    }

    public IStudyLifecycleGrain Lifecycle(string studyInstanceUid) => Grains.GetGrain<IStudyLifecycleGrain>(studyInstanceUid);

    /// <summary>
    /// Moves the fake clock to <paramref name="at"/> and evaluates the study (what its reminder does). The sweep an
    /// activation asked for runs first: it evaluates every study at the clock's time, and must not do so after the move
    /// of the clock, in the place of the evaluation the test is about.
    /// </summary>
    public async Task<LifecycleStatus> EvaluateAtAsync(string studyInstanceUid, DateTimeOffset at)
    {
        await Services.GetRequiredService<LifecycleSweep>().WhenSweptAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        if (at > Clock.GetUtcNow())
        {
            Clock.SetUtcNow(at);
        }

        return await Lifecycle(studyInstanceUid).EvaluateAsync();
    }

    /// <summary>The study row's lifecycle_state in the index, or null when the study has no row.</summary>
    public async Task<int?> IndexStateAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        var rows = await Database.QueryAsync("SELECT lifecycle_state FROM study WHERE study_instance_uid = '" + studyInstanceUid.Replace("'", "''", StringComparison.Ordinal) + "'", r => (int)r.GetInt16(0), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The audit trail's actions for a study, in order.</summary>
    public async Task<List<string>> AuditActionsAsync(string studyInstanceUid, CancellationToken cancellationToken) =>
        [.. (await Audit.ListAsync(new AuditQuery { StudyInstanceUid = studyInstanceUid, Limit = 1000 }, cancellationToken)).Select(e => e.Record.Action)];

    /// <summary>True when every instance's file is on the hot tier.</summary>
    public bool AllOnDisk(IEnumerable<StoredInstance> instances) => instances.All(i => File.Exists(Hot.GetFullPath(i.Location)));

    public bool NoneOnDisk(IEnumerable<StoredInstance> instances) => instances.All(i => !File.Exists(Hot.GetFullPath(i.Location)));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None);
        }
        finally
        {
            _host.Dispose();
            Hot.Dispose();
            _scratch.Dispose();
            await Database.DisposeAsync();
        }
    }
}
