using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vna.Archive.Grains;
using Vna.Archive.Tiers;
using Vna.Core;
using Vna.Dicom;
using Vna.Index.Postgres;
using Vna.Index.Postgres.Migrations;
using Vna.Storage;
using Vna.Storage.Warm;
using Vna.Testing;

namespace Vna.Tiers.Tests;

/// <summary>
/// One archive in this process: an Orleans silo (localhost clustering, study state in memory) whose study grains write a
/// fresh PostgreSQL index, a hot tier in a scratch folder, the tiers' services against real S3 buckets, and a fake clock
/// for the tiers (<see cref="TiersClock.ServiceKey"/>) so years pass in a test while Orleans keeps real time.
/// </summary>
internal sealed class TierHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ScratchFolder _scratch;

    private TierHarness(IHost host, ScratchFolder scratch, TestDatabase database, FileSystemHotStore hot, S3StorageOptions s3, FakeTimeProvider clock)
    {
        _host = host;
        _scratch = scratch;
        Database = database;
        Hot = hot;
        S3 = s3;
        Clock = clock;
    }

    public TestDatabase Database { get; }

    public FileSystemHotStore Hot { get; }

    public S3StorageOptions S3 { get; }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IIndexStore Index => Services.GetRequiredService<IIndexStore>();

    public IInstanceContentSource Content => Services.GetRequiredService<IInstanceContentSource>();

    public S3ObjectStore Store => Services.GetRequiredService<S3ObjectStore>();

    public static async Task<TierHarness> StartAsync(string admin, S3StorageOptions s3, CancellationToken cancellationToken, TestDatabase? database = null, Action<TiersOptions>? configure = null, FakeTimeProvider? clock = null)
    {
        database ??= await TestDatabase.CreateAsync(admin, "vna_tiers", cancellationToken);
        await new PostgresMigrator(database.DataSource).MigrateAsync(cancellationToken);
        var scratch = new ScratchFolder("tiers-harness");
        var hot = new FileSystemHotStore(new HotStoreOptions { RootPath = scratch.Sub("hot") });
        clock ??= new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var options = new TiersOptions { Enabled = true, S3 = s3, RecallPollInterval = TimeSpan.FromHours(1), RestoreRetryAfter = TimeSpan.FromHours(1) };
        configure?.Invoke(options);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddSingleton<IIndexStore>(new PostgresIndexStore(dataSource));
        builder.Services.AddSingleton<IHotStore>(hot);
        builder.Services.AddSingleton<IInstanceTranscoder, PassThroughTranscoder>();
        builder.Services.AddKeyedSingleton<TimeProvider>(TiersClock.ServiceKey, clock);
        builder.Services.AddVnaTiersServices(options, scratch.Sub("tiers-tmp"));
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, gatewayPort).AddMemoryGrainStorage("studies"));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new TierHarness(host, scratch, database, hot, s3, clock);
    }

    /// <summary>Stores a synthetic CT study on the hot tier and registers it with its grain; returns its instances.</summary>
    public async Task<IReadOnlyList<StoredInstance>> IngestAsync(int number, int series, int perSeries, CancellationToken cancellationToken)
    {
        var synthetic = SyntheticCt.CreateStudy(number, series, perSeries);
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
                        SopClassUid = SyntheticCt.CtImageStorage,
                        SopInstanceUid = instance.SopInstanceUid!,
                        InstanceNumber = instance.InstanceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                    TransferSyntaxUid = DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
                    Size = bytes.Length,
                    Sha256 = sha,
                    Tier = StorageTier.Hot,
                    Location = location,
                    SourceDepartment = "radiology",
                    ReceivedAt = Clock.GetUtcNow(),
                });
            }
        }

        var results = await Grains.GetGrain<IStudyGrain>(stored[0].StudyInstanceUid).RegisterAsync([.. stored], (int)DuplicatePolicy.Reject);
        Assert.All(results, r => Assert.Equal(RegistrationOutcome.Registered, r.Outcome));
        return stored;
    }

    /// <summary>One more instance of an existing study (same series), stored hot and registered.</summary>
    public async Task<StoredInstance> IngestLateInstanceAsync(StoredInstance sibling, CancellationToken cancellationToken)
    {
        var synthetic = new SyntheticInstance
        {
            Study = new SyntheticStudy
            {
                StudyInstanceUid = sibling.StudyInstanceUid,
                PatientId = sibling.Attributes.PatientId,
                PatientName = sibling.Attributes.PatientName,
                AccessionNumber = sibling.Attributes.AccessionNumber,
                FrameOfReferenceUid = DicomUid.Generate(),
            },
            SeriesInstanceUid = sibling.SeriesInstanceUid,
            SopInstanceUid = DicomUid.Generate(),
            InstanceNumber = 99,
            PixelSeed = 424242,
        };
        var bytes = await SyntheticCt.EncodeAsync(synthetic, cancellationToken);
        var sha = SyntheticCt.Sha256(bytes);
        var write = await Hot.BeginWriteAsync(cancellationToken);
        await using (write)
        {
            await write.Stream.WriteAsync(bytes, cancellationToken);
            var location = await write.CommitAsync(sibling.StudyInstanceUid, sibling.SeriesInstanceUid, synthetic.SopInstanceUid!, sha, cancellationToken);
            var stored = sibling with
            {
                Attributes = sibling.Attributes with { SopInstanceUid = synthetic.SopInstanceUid!, InstanceNumber = "99" },
                Size = bytes.Length,
                Sha256 = sha,
                Tier = StorageTier.Hot,
                Location = location,
                ReceivedAt = Clock.GetUtcNow(),
            };
            var result = await Grains.GetGrain<IStudyGrain>(sibling.StudyInstanceUid).RegisterAsync([stored], (int)DuplicatePolicy.Reject);
            Assert.Equal(RegistrationOutcome.Registered, Assert.Single(result).Outcome);
            return stored;
        }
    }

    public IStudyTierGrain Study(string uid) => Grains.GetGrain<IStudyTierGrain>(uid);

    /// <summary>Reads every instance through the content source and checks it against its checksum; returns the tiers read from.</summary>
    public async Task<HashSet<StorageTier>> ReadAllAsync(IEnumerable<StoredInstance> originals, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var tiers = new HashSet<StorageTier>();
        foreach (var original in originals)
        {
            var current = await Index.FindInstanceAsync(original.SopInstanceUid, cancellationToken);
            Assert.NotNull(current);
            tiers.Add(current.Tier);
            var content = await Content.OpenAsync(current, maxWait, cancellationToken);
            await using (content)
            {
                using var copy = new MemoryStream();
                await content.Stream.CopyToAsync(copy, cancellationToken);
                Assert.Equal(original.Sha256, SyntheticCt.Sha256(copy.ToArray()));
            }
        }

        return tiers;
    }

    /// <summary>Instance Availability (0008,0056) of the study as a study-level C-FIND / QIDO-RS answers it.</summary>
    public async Task<string?> AvailabilityAsync(string studyUid, CancellationToken cancellationToken)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, studyUid);
        identifier.AddOrUpdate(DicomTag.InstanceAvailability, DicomVR.CS, string.Empty);
        var result = await Index.QueryAsync(new IndexQuery { Level = QueryLevel.Study, Identifier = identifier }, cancellationToken);
        return Assert.Single(result.Matches).GetString(DicomTag.InstanceAvailability);
    }

    /// <summary>The files under the hot tier's studies folder.</summary>
    public int HotFileCount() =>
        Directory.Exists(Hot.StudiesFolder) ? Directory.EnumerateFiles(Hot.StudiesFolder, "*.dcm", SearchOption.AllDirectories).Count() : 0;

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
