using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Vna.Index.Postgres.Migrations;

/// <summary>
/// Brings a PostgreSQL database to the schema the archive needs by applying the numbered SQL
/// scripts embedded in this assembly (<c>Migrations/NNNN_name.sql</c>) in order of their number.
/// </summary>
/// <remarks>
/// <para>
/// Each script runs in a transaction of its own, together with the row that records it in
/// <c>vna_schema_migrations</c> (version, name, SHA-256 checksum, time), so a script is either
/// applied and recorded or not applied at all. A script must therefore not manage transactions
/// itself.
/// </para>
/// <para>
/// Idempotent and safe to run from several silos starting at once: the whole run holds a
/// session-level advisory lock, so a second runner waits for the first and then finds nothing left
/// to do. A script whose text changed after it was applied (a different checksum) stops the run
/// with an <see cref="InvalidOperationException"/> that names it: applied scripts are never edited;
/// a change is a new numbered script. Checksums ignore line-ending style (CRLF and LF count as the
/// same text) and a leading byte-order mark.
/// </para>
/// <para>
/// Applied versions that this build does not know (written by a newer build) are left alone and
/// logged as a warning, so that an older silo can still start during a rolling upgrade.
/// </para>
/// </remarks>
public sealed partial class PostgresMigrator
{
    /// <summary>The table recording the applied scripts.</summary>
    public const string HistoryTable = "vna_schema_migrations";

    /// <summary>The key of the session-level advisory lock held while migrating ("vna_migr" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x766E_615F_6D69_6772;

    private const string ResourcePrefix = "Vna.Index.Postgres.Migrations.";

    private static readonly Action<ILogger, string, long, Exception?> LogApplied =
        LoggerMessage.Define<string, long>(LogLevel.Information, new EventId(1, "MigrationApplied"),
            "Applied schema migration {Migration} in {ElapsedMilliseconds} ms");

    private static readonly Action<ILogger, int, int, Exception?> LogUpToDate =
        LoggerMessage.Define<int, int>(LogLevel.Debug, new EventId(2, "SchemaUpToDate"),
            "Schema up to date: {Applied} of {Known} migrations were already applied");

    private static readonly Action<ILogger, int, string, Exception?> LogUnknownApplied =
        LoggerMessage.Define<int, string>(LogLevel.Warning, new EventId(3, "UnknownMigrationApplied"),
            "The database has migration {Version:D4} ({Name}) applied, which this build does not know; a newer build wrote it");

    private static readonly Action<ILogger, int, string, string, Exception?> LogRenamed =
        LoggerMessage.Define<int, string, string>(LogLevel.Warning, new EventId(4, "MigrationRenamed"),
            "Migration {Version:D4} was applied as {AppliedName} and is now named {Name} (same text)");

    private readonly NpgsqlDataSource dataSource;
    private readonly IReadOnlyList<KeyValuePair<string, string>>? suppliedScripts;
    private readonly ILogger logger;

    /// <summary>Creates a migrator for the scripts embedded in this assembly.</summary>
    /// <param name="dataSource">The database to migrate.</param>
    /// <param name="logger">Where to log the applied scripts; none when null.</param>
    public PostgresMigrator(NpgsqlDataSource dataSource, ILogger<PostgresMigrator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        this.dataSource = dataSource;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Creates a migrator for the given scripts instead of the embedded ones.</summary>
    /// <param name="dataSource">The database to migrate.</param>
    /// <param name="scripts">File name (<c>NNNN_name.sql</c>) and SQL text of each script.</param>
    /// <param name="logger">Where to log the applied scripts; none when null.</param>
    public PostgresMigrator(
        NpgsqlDataSource dataSource,
        IEnumerable<KeyValuePair<string, string>> scripts,
        ILogger<PostgresMigrator>? logger = null)
        : this(dataSource, logger)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        suppliedScripts = [.. scripts];
    }

    /// <summary>
    /// Applies every script not applied yet, in order. Returns the names (<c>NNNN_name</c>) of the
    /// scripts this call applied: empty when the schema was already up to date.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// A script is misnamed or numbered twice, or an applied script's text changed since.
    /// </exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var scripts = suppliedScripts is null
            ? await ReadEmbeddedScriptsAsync(cancellationToken).ConfigureAwait(false)
            : ParseScripts(suppliedScripts);

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken)
                .ConfigureAwait(false);
            try
            {
                return await MigrateLockedAsync(connection, scripts, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await UnlockAsync(connection).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<string>> MigrateLockedAsync(
        NpgsqlConnection connection, IReadOnlyList<Script> scripts, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null,
            $"""
            CREATE TABLE IF NOT EXISTS {HistoryTable} (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            cancellationToken).ConfigureAwait(false);

        var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        var known = new HashSet<int>();
        var appliedNow = new List<string>();

        foreach (var script in scripts)
        {
            known.Add(script.Version);
            if (applied.TryGetValue(script.Version, out var record))
            {
                if (!string.Equals(record.Checksum, script.Checksum, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
                        "Schema migration {0} was applied to this database (as {1}, checksum {2}) but its script now has checksum {3}: " +
                        "an applied migration must never change. Restore the script's applied text and put the change in a new numbered script.",
                        script.FullName, record.Name, record.Checksum, script.Checksum));
                }

                if (!string.Equals(record.Name, script.Name, StringComparison.Ordinal))
                {
                    LogRenamed(logger, script.Version, record.Name, script.Name, null);
                }

                continue;
            }

            var started = Stopwatch.GetTimestamp();
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    await ExecuteAsync(connection, transaction, script.Sql, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex)
                {
                    throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
                        "Schema migration {0} failed and was rolled back: {1}", script.FullName, ex.Message), ex);
                }

                var insert = new NpgsqlCommand(
                    $"INSERT INTO {HistoryTable} (version, name, checksum) VALUES (@version, @name, @checksum)",
                    connection, transaction);
                await using (insert.ConfigureAwait(false))
                {
                    insert.Parameters.AddWithValue("version", script.Version);
                    insert.Parameters.AddWithValue("name", script.Name);
                    insert.Parameters.AddWithValue("checksum", script.Checksum);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            LogApplied(logger, script.FullName, (long)elapsed.TotalMilliseconds, null);
            appliedNow.Add(script.FullName);
        }

        foreach (var (version, record) in applied)
        {
            if (!known.Contains(version))
            {
                LogUnknownApplied(logger, version, record.Name, null);
            }
        }

        if (appliedNow.Count == 0)
        {
            LogUpToDate(logger, applied.Count, scripts.Count, null);
        }

        return appliedNow;
    }

    private static async Task UnlockAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return; // a broken session: PostgreSQL released the lock with it
        }

        try
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The session is unusable; closing it releases the lock. Keep the original exception, if any.
        }
    }

    private static async Task<Dictionary<int, AppliedRecord>> ReadAppliedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, AppliedRecord>();
        var command = new NpgsqlCommand($"SELECT version, name, checksum FROM {HistoryTable}", connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied[reader.GetInt32(0)] = new AppliedRecord(reader.GetString(1), reader.GetString(2));
                }
            }
        }

        return applied;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction)
        {
            // Migrations and the wait for another runner's lock may take long; cancellation still applies.
            CommandTimeout = 0,
        };
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<Script>> ReadEmbeddedScriptsAsync(CancellationToken cancellationToken)
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        var texts = new List<KeyValuePair<string, string>>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration {resource} cannot be read.");
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var sql = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                texts.Add(new KeyValuePair<string, string>(resource[ResourcePrefix.Length..], sql));
            }
        }

        return ParseScripts(texts);
    }

    private static List<Script> ParseScripts(IEnumerable<KeyValuePair<string, string>> texts)
    {
        var scripts = new List<Script>();
        var byVersion = new Dictionary<int, string>();
        foreach (var (fileName, sql) in texts)
        {
            var match = ScriptFileName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Migration script '{fileName}' is misnamed: expected NNNN_name.sql (four digits, then lower-case letters, digits and underscores).");
            }

            var version = int.Parse(match.Groups["version"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            if (!byVersion.TryAdd(version, fileName))
            {
                throw new InvalidOperationException(
                    $"Migration scripts '{byVersion[version]}' and '{fileName}' have the same number {version:D4}.");
            }

            scripts.Add(new Script(version, match.Groups["name"].Value, sql, Checksum(sql)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }

    /// <summary>SHA-256 of the script's UTF-8 text, with CRLF read as LF and any byte-order mark dropped.</summary>
    private static string Checksum(string sql)
    {
        var normalised = sql.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    [GeneratedRegex(@"^(?<version>[0-9]{4})_(?<name>[a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptFileName();

    private sealed record Script(int Version, string Name, string Sql, string Checksum)
    {
        public string FullName => string.Create(CultureInfo.InvariantCulture, $"{Version:D4}_{Name}");
    }

    private sealed record AppliedRecord(string Name, string Checksum);
}
