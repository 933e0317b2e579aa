using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Vna.Archive.Coordination;
using Vna.Archive.Hosting;
using Vna.Codecs;
using Vna.Core;
using Vna.Index.Postgres;
using Vna.Index.Postgres.Migrations;
using Vna.Server;
using Vna.Server.Endpoints;
using Vna.Storage;
using Vna.Web;

// Settings come from appsettings.json beside the binary, whatever the working folder; data paths are relative to the working folder.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("VNA_");

var section = builder.Configuration.GetSection(VnaServerOptions.SectionName);
builder.Services.AddOptions<VnaServerOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<ArchiveOptions>().Bind(builder.Configuration.GetSection(ArchiveOptions.SectionName));
var archiveProblems = DepartmentResolver.Validate(builder.Configuration.GetSection(ArchiveOptions.SectionName).Get<ArchiveOptions>() ?? new ArchiveOptions());
if (archiveProblems.Count > 0)
{
    // Refuse to start on a configuration that would refuse every store later: say exactly what is wrong.
    throw new OptionsValidationException(ArchiveOptions.SectionName, typeof(ArchiveOptions), archiveProblems);
}
var vna = section.Get<VnaServerOptions>() ?? new VnaServerOptions();
ServerStartup.Validate(vna);

builder.WebHost.UseUrls(vna.HttpUrl);
if (vna.HttpsCertificatePath is { Length: > 0 } httpsCertificatePath)
{
    // Loaded now, so that a wrong path or key stops the start with a message naming the setting.
    var httpsCertificate = TlsCertificateFile.Load("Vna:HttpsCertificatePath", httpsCertificatePath, vna.HttpsKeyPath, vna.HttpsCertificatePassword);
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
    {
        https.ServerCertificate = httpsCertificate;
        https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
    }));
}

builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);

// PostgreSQL: one data source for the index, the audit trail and the migration step.
var dataSource = PostgresDataSources.Create(vna.Postgres);
builder.Services.AddSingleton(dataSource);
builder.Services.AddSingleton<IIndexStore>(sp => new PostgresIndexStore(sp.GetRequiredService<NpgsqlDataSource>()));
builder.Services.AddSingleton<PostgresAuditSink>();
builder.Services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<PostgresAuditSink>());
builder.Services.AddSingleton<ICommitmentReportOutbox>(_ => new PostgresCommitmentOutbox(dataSource));

// The hot tier.
var hotRoot = Path.GetFullPath(Path.Combine(vna.DataDirectory, "hot"));
var hotStore = new FileSystemHotStore(new HotStoreOptions { RootPath = hotRoot });
builder.Services.AddSingleton<IHotStore>(hotStore);
builder.Services.AddSingleton(_ => hotStore); // created by a factory, so disposed with the host: releases its tmp owner lock

// The study grains and the port the features use to reach them.
builder.Services.AddSingleton<IStudyCoordinator, GrainStudyCoordinator>();
builder.Services.AddSingleton<StoreService>();

// Features: one line each, each an extension method in its own project (front ends, codecs, tiers, lifecycle).
// Register them above the defaults below; a feature that provides a port replaces the default with its own.
builder.AddVnaWeb();
builder.AddVnaCodecs(Path.Combine(vna.DataDirectory, "keys", "codestream-seal.key"));
builder.AddVnaTiers();
builder.AddVnaLifecycle();
builder.AddVnaDimse();
builder.AddVnaQueryRetrieve();

// Defaults for ports a feature may replace: serve what is stored, from the hot tier.
builder.Services.TryAddSingleton<IInstanceTranscoder, PassThroughTranscoder>();
builder.Services.TryAddSingleton<IInstanceContentSource, HotInstanceContentSource>();
builder.Services.TryAddSingleton<IStudyAccessRecorder, NoOpStudyAccessRecorder>();
builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = vna.ClusterId;
        o.ServiceId = vna.ServiceId;
    });
    silo.ConfigureEndpoints(IPAddress.Loopback, vna.SiloPort, vna.GatewayPort, listenOnAnyHostAddress: false);
    silo.UseVnaPostgres(vna.Postgres, vna.FastFailover);
});

var app = builder.Build();
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vna.Server");

// Before anything is served: the schema (Orleans' tables and the archive's) and the hot tier's leftovers.
using (var startup = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
{
    var applied = await new PostgresMigrator(dataSource).MigrateAsync(startup.Token);
    ServerLog.Migrated(logger, applied.Count);
    var reconciled = await hotStore.ReconcileAsync(startup.Token);
    ServerLog.Reconciled(logger, reconciled.TemporaryFilesRemoved, reconciled.BytesReclaimed);
}

app.UseExceptionHandler();
app.MapVnaAdminEndpoints();
app.MapVnaCommitmentEndpoints();
app.MapVnaReadiness(hotRoot, vna.MinFreeHotBytes);
app.MapVnaWeb();

app.Lifetime.ApplicationStarted.Register(() =>
    ServerLog.Listening(logger, vna.HttpUrl, vna.SiloPort, vna.GatewayPort, hotRoot));
await app.RunAsync();
