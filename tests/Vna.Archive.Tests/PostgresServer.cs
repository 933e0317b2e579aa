using System.Diagnostics;
using Npgsql;

namespace Vna.Archive.Tests;

/// <summary>
/// Finds the PostgreSQL server the tests run against, once per test run: the one named by
/// <c>VNA_TEST_PG</c>, else the project's own one, started with <c>deploy/local/pg start</c>.
/// </summary>
internal static class PostgresServer
{
    public const string EnvironmentVariable = "VNA_TEST_PG";

    private static readonly Lazy<Task<(string? ConnectionString, string? Problem)>> Server =
        new(FindAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True under CI (<c>CI=true</c>), where a missing server fails the tests instead of skipping them.</summary>
    public static bool InCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The server's connection string (to its maintenance database), or why there is none.</summary>
    public static Task<(string? ConnectionString, string? Problem)> GetAsync() => Server.Value;

    private static async Task<(string? ConnectionString, string? Problem)> FindAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var problem = await TryConnectAsync(configured);
            return problem is null
                ? (configured, null)
                : (null, $"{EnvironmentVariable} is set but PostgreSQL cannot be reached with it: {problem}");
        }

        var script = FindPgScript();
        if (script is null)
        {
            return (null, $"{EnvironmentVariable} is not set and deploy/local/pg was not found above {AppContext.BaseDirectory}");
        }

        var (exitCode, output, errors) = await RunAsync(script, "start", TimeSpan.FromMinutes(5));
        var connectionString = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault(line => line.StartsWith("Host=", StringComparison.Ordinal));
        if (exitCode != 0 || connectionString is null)
        {
            var tail = string.Join(" | ", errors.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            return (null, $"{EnvironmentVariable} is not set and `deploy/local/pg start` failed (exit {exitCode}): {tail}");
        }

        var connectProblem = await TryConnectAsync(connectionString);
        return connectProblem is null
            ? (connectionString, null)
            : (null, $"`deploy/local/pg start` printed {connectionString} but it cannot be reached: {connectProblem}");
    }

    private static async Task<string?> TryConnectAsync(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            return ex.Message;
        }
    }

    private static string? FindPgScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "deploy", "local", "pg");
            if (File.Exists(Path.Combine(dir.FullName, "Vna.sln")) && File.Exists(script))
            {
                return script;
            }
        }

        return null;
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
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, await output, $"timed out after {timeout.TotalSeconds:0} s; " + await errors);
        }

        return (process.ExitCode, await output, await errors);
    }
}
