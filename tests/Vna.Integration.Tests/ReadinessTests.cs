using System.Net;
using System.Text.Json;
using Npgsql;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// <c>GET /health/ready</c> on the built server: ready while PostgreSQL answers and the hot tier has room; 503 naming
/// PostgreSQL while its database refuses connections (the process still live on <c>/health</c>), ready again after; 503
/// naming the hot tier when the free space asked for is more than the disk has.
/// </summary>
public sealed class ReadinessTests
{
    [Fact(Timeout = 300_000)]
    public async Task Ready_follows_the_database_and_the_hot_tiers_free_space()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        using var scratch = new ScratchFolder("it-ready");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        var settings = new ServerSettings { Name = "ready", Postgres = database.ConnectionString, WorkDirectory = scratch.Path, DataDirectory = scratch.Sub("data") };
        using var http = ArchiveHttp.CreateClient(TimeSpan.FromSeconds(30));

        await using (var server = await ServerProcess.StartAsync(settings, ct))
        {
            var ready = new Uri(server.BaseAddress, "health/ready");
            var (status, body) = await GetAsync(http, ready, ct);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ready", body.GetProperty("status").GetString());
            Assert.Equal("ok", body.GetProperty("checks").GetProperty("postgres").GetString());
            Assert.StartsWith("ok (", body.GetProperty("checks").GetProperty("hotTier").GetString(), StringComparison.Ordinal);

            // The database refuses connections: not ready, naming PostgreSQL; still live.
            await SetConnectionsAsync(admin, database.Name, allow: false, ct);
            try
            {
                (status, body) = await WaitForAsync(http, ready, HttpStatusCode.ServiceUnavailable, ct);
                Assert.Equal("not ready", body.GetProperty("status").GetString());
                Assert.StartsWith("unreachable: ", body.GetProperty("checks").GetProperty("postgres").GetString(), StringComparison.Ordinal);
                Assert.StartsWith("ok (", body.GetProperty("checks").GetProperty("hotTier").GetString(), StringComparison.Ordinal);
                using var live = await http.GetAsync(new Uri(server.BaseAddress, "health"), ct);
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }
            finally
            {
                await SetConnectionsAsync(admin, database.Name, allow: true, ct);
            }

            (status, _) = await WaitForAsync(http, ready, HttpStatusCode.OK, ct);
            Assert.Equal(HttpStatusCode.OK, status);
        }

        // More free space asked for than any disk has: not ready, naming the hot tier.
        await using (var server = await ServerProcess.StartAsync(settings with { Name = "ready-full", Configuration = new Dictionary<string, string> { ["Vna__MinFreeHotBytes"] = "1000000000000000000" } }, ct))
        {
            var (status, body) = await GetAsync(http, new Uri(server.BaseAddress, "health/ready"), ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("ok", body.GetProperty("checks").GetProperty("postgres").GetString());
            Assert.Contains("below Vna:MinFreeHotBytes (1000000000000000000)", body.GetProperty("checks").GetProperty("hotTier").GetString(), StringComparison.Ordinal);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (response.StatusCode, json.RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> WaitForAsync(HttpClient http, Uri url, HttpStatusCode wanted, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            var answer = await GetAsync(http, url, cancellationToken);
            if (answer.Status == wanted || i >= 100)
            {
                Assert.Equal(wanted, answer.Status);
                return answer;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>ALTER DATABASE … ALLOW_CONNECTIONS (the test role owns the database) and, when refusing, ends the sessions open in it.</summary>
    private static async Task SetConnectionsAsync(string admin, string name, bool allow, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken);
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {(allow ? "true" : "false")}", connection))
        {
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!allow)
        {
            await using var end = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", connection);
            end.Parameters.Add(new NpgsqlParameter { Value = name });
            await end.ExecuteScalarAsync(cancellationToken);
        }
    }
}
