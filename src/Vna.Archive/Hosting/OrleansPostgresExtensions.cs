using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Storage;

namespace Vna.Archive.Hosting;

/// <summary>
/// Puts an Orleans silo or client on the archive's PostgreSQL database: ADO.NET clustering
/// (membership and gateways), the grain storage <see cref="StudyStorageName"/> and the reminder
/// service, all through Npgsql.
/// </summary>
/// <remarks>
/// The database must already carry the Orleans schema (the <c>OrleansQuery</c> statements and their
/// tables): <c>Vna.Index.Postgres.Migrations.PostgresMigrator</c> applies it, and the composition root
/// runs it before the silo starts. Cluster and service identities (<see cref="ClusterOptions"/>)
/// and endpoints are the composition root's to set; ServiceId keys grain state and reminders,
/// ClusterId keys membership.
/// </remarks>
public static class OrleansPostgresExtensions
{
    /// <summary>The ADO.NET invariant name of Npgsql, which the Orleans providers map to its factory.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The grain storage provider name for study state: <c>[PersistentState("…", StudyStorageName)]</c>.</summary>
    public const string StudyStorageName = "studies";

    /// <summary>Failure-detection probe timeout with <c>fastFailureDetection</c>.</summary>
    public static readonly TimeSpan FastProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo is suspected, with <c>fastFailureDetection</c>.</summary>
    public const int FastNumMissedProbesLimit = 2;

    /// <summary>
    /// Configures ADO.NET clustering, the grain storage <see cref="StudyStorageName"/> and the
    /// ADO.NET reminder service on <paramref name="connectionString"/>, with Orleans' default
    /// failure detection.
    /// </summary>
    public static ISiloBuilder UseVnaPostgres(this ISiloBuilder silo, string connectionString) =>
        UseVnaPostgres(silo, connectionString, fastFailureDetection: false);

    /// <summary>
    /// Configures ADO.NET clustering, the grain storage <see cref="StudyStorageName"/> and the
    /// ADO.NET reminder service on <paramref name="connectionString"/>.
    /// </summary>
    /// <param name="silo">The silo to configure.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="fastFailureDetection">
    /// For tests and development: declare a silo dead after <see cref="FastNumMissedProbesLimit"/>
    /// missed probes of <see cref="FastProbeTimeout"/> each (about a second after it dies) rather
    /// than Orleans' defaults (3 probes of 5 s). Too eager for a loaded production network.
    /// </param>
    public static ISiloBuilder UseVnaPostgres(this ISiloBuilder silo, string connectionString, bool fastFailureDetection)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });

        // State is written with Orleans' own binary serializer: it follows the [GenerateSerializer]/[Id]
        // contract, so renaming or moving state types does not orphan stored rows (the provider's
        // default, Newtonsoft.Json with $type names, would).
        silo.AddAdoNetGrainStorage(StudyStorageName, optionsBuilder => optionsBuilder.Configure<IServiceProvider>(
            (options, services) =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
                options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services);
            }));

        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });

        if (fastFailureDetection)
        {
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = FastProbeTimeout;
                options.NumMissedProbesLimit = FastNumMissedProbesLimit;
            });
        }

        return silo;
    }

    /// <summary>
    /// Configures an external client to find the cluster's gateways in the membership table on
    /// <paramref name="connectionString"/>.
    /// </summary>
    public static IClientBuilder UseVnaPostgres(this IClientBuilder client, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        client.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return client;
    }
}
