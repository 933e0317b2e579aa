using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>The development mode (no tokens) refuses to start on a server that listens beyond loopback.</summary>
public sealed class DevelopmentModeTests
{
    [Fact]
    public async Task The_server_refuses_development_mode_on_a_non_loopback_address()
    {
        var ct = TestContext.Current.CancellationToken;
        var (admin, problem) = await TestPostgres.GetAsync();
        if (admin is null)
        {
            Assert.Skip($"PostgreSQL is not available: {problem}");
        }

        using var scratch = new ScratchFolder("web-devmode");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_web", ct);
        var port = FreePorts.Next();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(
            new ServerSettings
            {
                Name = "devmode",
                Postgres = database.ConnectionString,
                WorkDirectory = scratch.Path,
                DataDirectory = scratch.Sub("data"),
                HttpPort = port,
                Configuration = new Dictionary<string, string>
                {
                    ["Vna__HttpUrl"] = $"http://vna.invalid:{port}",
                    ["DicomWeb__Authentication__Mode"] = "Development",
                },
            },
            ct,
            TimeSpan.FromSeconds(60)));
        Assert.Contains("Development", failure.Message, StringComparison.Ordinal);
        Assert.Contains("loopback", failure.Message, StringComparison.Ordinal);
    }
}
