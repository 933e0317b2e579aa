using System.Diagnostics;
using Npgsql;

namespace Vna.Testing;

/// <summary>
/// The PostgreSQL server the tests run against, found once per test process: the one named by <c>VNA_TEST_PG</c> (which
/// <c>deploy/local/test</c> exports), else the project's own one, started with <c>deploy/local/pg start</c>. Its connection
/// string is an admin one: the role may create databases (<see cref="TestDatabase"/>).
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "VNA_TEST_PG";

    private static readonly Lazy<Task<(string? ConnectionString, string? Problem)>> s_server =
        new(FindAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True under CI (<c>CI=true</c>), where a missing server must fail the tests instead of skipping them.</summary>
    public static bool InCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The server's connection string, or why there is none (with how to get one).</summary>
    public static Task<(string? ConnectionString, string? Problem)> GetAsync() => s_server.Value;

    private static async Task<(string? ConnectionString, string? Problem)> FindAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var problem = await TryConnectAsync(configured).ConfigureAwait(false);
            return problem is null
                ? (configured, null)
                : (null, $"{EnvironmentVariable} is set but PostgreSQL cannot be reached with it: {problem}");
        }

        var script = Path.Combine(RepositoryPaths.Root, "deploy", "local", "pg");
        if (!File.Exists(script))
        {
            return (null, $"{EnvironmentVariable} is not set and {script} does not exist");
        }

        var (exitCode, output, errors) = await RunAsync(script, "start", TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var connectionString = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault(line => line.StartsWith("Host=", StringComparison.Ordinal));
        if (exitCode != 0 || connectionString is null)
        {
            var tail = string.Join(" | ", errors.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            return (null, $"{EnvironmentVariable} is not set and `deploy/local/pg start` failed (exit {exitCode}): {tail}");
        }

        var connectProblem = await TryConnectAsync(connectionString).ConfigureAwait(false);
        return connectProblem is null
            ? (connectionString, null)
            : (null, $"`deploy/local/pg start` printed {connectionString} but it cannot be reached: {connectProblem}");
    }

    /// <summary>
    /// Drops database <paramref name="name"/> WITH (FORCE) over the admin connection <paramref name="adminConnectionString"/>.
    /// FORCE refuses (42501, "must be a member of the role whose process is being terminated") when an autovacuum worker —
    /// a process of no role — is working in the database at that moment and the role is not in pg_signal_backend (as on a
    /// server other than <c>deploy/local/pg</c>'s, which grants it): the worker finishes by itself, so the drop is retried
    /// for up to ten seconds.
    /// </summary>
    public static async Task DropDatabaseAsync(string adminConnectionString, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(adminConnectionString);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var connection = new NpgsqlConnection(adminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await using (drop.ConfigureAwait(false))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
                        return;
                    }
                    catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
                    {
                        await Task.Delay(200).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private static async Task<string?> TryConnectAsync(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
            var connection = new NpgsqlConnection(builder.ConnectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync().ConfigureAwait(false);
                return null;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            return ex.Message;
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string file, string argument, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, argument)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, await output.ConfigureAwait(false), $"timed out after {timeout.TotalSeconds:0} s; " + await errors.ConfigureAwait(false));
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }
}
