using System.Text;
using Vna.Cli;
using Vna.Cli.Commands;
using Vna.Testing;

namespace Vna.Tiers.Tests;

/// <summary><c>vna verify</c>, <c>vna recall</c> and <c>vna restore</c> against a running archive with the tiers on.</summary>
public sealed class CliTests
{
    [Fact(Timeout = 240_000)]
    public async Task Verify_recall_and_restore_from_the_command_line()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        var s3 = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        using var scratch = new ScratchFolder("tiers-cli");
        using var http = ArchiveHttp.CreateClient(TimeSpan.FromMinutes(2));
        var instances = SyntheticCt.CreateStudy(9, 1, 5);
        var uid = instances[0].Study.StudyInstanceUid;

        await using (var database = await TestDatabase.CreateAsync(admin, "vna_tiers_cli", ct))
        await using (var server = await ServerProcess.StartAsync(TieredServer.Settings("tiers-cli", database.ConnectionString, scratch, s3), ct))
        {
            var url = server.BaseAddress.ToString();
            await TieredServer.ImportAsync(http, server.BaseAddress, instances, ct);

            var (code, output, _) = await VnaAsync(ct, "recall", uid, "--server", url);
            Assert.Equal((0, "online (0 instances recalled)\n"), (code, output));

            using (var moved = await http.PostAsync(new Uri(server.BaseAddress, $"api/tiers/studies/{uid}/move?tier=cold"), null, ct))
            {
                Assert.True(moved.IsSuccessStatusCode);
            }

            // Verify reads a cold study back through a recall.
            (code, output, _) = await VnaAsync(ct, "verify", uid, "--server", url, "--wait", "60");
            Assert.Equal(0, code);
            Assert.StartsWith("5 of 5 instances verified (", output, StringComparison.Ordinal);
            Assert.Contains("5 cold", output, StringComparison.Ordinal);

            using (var moved = await http.PostAsync(new Uri(server.BaseAddress, $"api/tiers/studies/{uid}/move?tier=warm"), null, ct))
            {
                Assert.True(moved.IsSuccessStatusCode);
            }

            var (missing, _, error) = await VnaAsync(ct, "verify", "1.2.3.4", "--server", url);
            Assert.Equal(1, missing);
            Assert.Contains("404", error, StringComparison.Ordinal);
        }

        // A new, empty database: vna restore rebuilds it from the buckets.
        using var scratch2 = new ScratchFolder("tiers-cli-2");
        await using var empty = await TestDatabase.CreateAsync(admin, "vna_tiers_cli", ct);
        await using var rebuilt = await ServerProcess.StartAsync(TieredServer.Settings("tiers-cli-2", empty.ConnectionString, scratch2, s3), ct);
        var (restoreCode, restoreOutput, _) = await VnaAsync(ct, "restore", "--server", rebuilt.BaseAddress.ToString());
        Assert.Equal((0, "rebuilt 1 studies (1 warm, 0 cold), 5 instances\n"), (restoreCode, restoreOutput));
        var (verifyCode, verifyOutput, _) = await VnaAsync(ct, "verify", uid, "--server", rebuilt.BaseAddress.ToString());
        Assert.Equal(0, verifyCode);
        Assert.Contains("5 of 5 instances verified", verifyOutput, StringComparison.Ordinal);

        var (unreachable, _, unreachableError) = await VnaAsync(ct, "restore", "--server", $"http://127.0.0.1:{FreePorts.Next()}");
        Assert.Equal(1, unreachable);
        Assert.Contains("cannot reach the archive", unreachableError, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> VnaAsync(CancellationToken ct, params string[] args)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var code = await Program.RunAsync(args, new CliConsole(output, error), ct);
        return (code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
