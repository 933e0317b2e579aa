using System.Net.Http.Json;
using System.Text.Json;
using Vna.Testing;

namespace Vna.Lifecycle.Tests;

/// <summary>
/// The compliance officer's commands against the real server (child process, its own database): the shipped policies
/// loaded at start, a bad file refused with its line, a policy that would expire everything shown and refused without
/// --confirm, holds, the audit trail listed and verified.
/// </summary>
public sealed class CliEndToEndTests
{
    private const string Wipe = """
        apiVersion: vna.policy/v1
        name: default
        version: "wipe"
        default:
          actions:
            - { expire: true, after: 0d, since: ingest, grace: 7d }
        """;

    [Fact]
    public async Task An_officer_validates_previews_activates_holds_and_audits_through_vna()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await LifecycleHarness.RequirePostgresAsync();
        await using var database = await TestDatabase.CreateAsync(admin, "vna_lifecycle_cli", ct);
        using var scratch = new ScratchFolder("lifecycle-cli");
        var settings = LifecycleServer.Settings("lifecycle", database.ConnectionString, scratch, new Dictionary<string, string>
        {
            ["Lifecycle__PolicyDirectory"] = Path.Combine(RepositoryPaths.Root, "policies"),
        });
        await using var server = await ServerProcess.StartAsync(settings, ct);
        using var http = ArchiveHttp.CreateClient();
        var work = settings.WorkDirectory;

        // The shipped files were activated at start (the database held no policy).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? version = null;
        while (DateTime.UtcNow < deadline)
        {
            using var policies = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.BaseAddress, "api/policies"), ct));
            version = policies.RootElement.GetProperty("version").GetString();
            if (version!.Split(';').Length == 4)
            {
                break;
            }

            await Task.Delay(250, ct);
        }

        Assert.Equal("default@2026.1;mammography@2026.1;pediatric@2026.1;research-hold@2026.1", version);
        var list = await VnaCli.RunAsync(server.BaseAddress, work, ct, "policy", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("rule mammography (precedence 100)", list.Output, StringComparison.Ordinal);

        // One study in the archive.
        var study = SyntheticCt.CreateStudy(61, 1, 1)[0];
        var post = await ArchiveHttp.PostAsync(http, server.BaseAddress, await SyntheticCt.EncodeAsync(study, ct), ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, post.StatusCode);
        var uid = study.Study.StudyInstanceUid;

        // A bad file: every problem at FILE:LINE:COLUMN, exit 2, nothing changed.
        var bad = Path.Combine(work, "bad.yaml");
        await File.WriteAllTextAsync(bad, Wipe.Replace("after: 0d", "after: soon", StringComparison.Ordinal).Replace("grace: 7d", "grace: 7d, purge: yes", StringComparison.Ordinal), ct);
        var invalid = await VnaCli.RunAsync(server.BaseAddress, work, ct, "policy", "validate", bad);
        Assert.True(invalid.ExitCode == 2, invalid.Errors + invalid.Output);
        Assert.Contains("bad.yaml:6:", invalid.Errors, StringComparison.Ordinal);
        Assert.Contains("unknown property 'purge'", invalid.Errors, StringComparison.Ordinal);
        Assert.Equal(2, (await VnaCli.RunAsync(server.BaseAddress, work, ct, "policy", "activate", bad)).ExitCode);

        // A policy that would expire everything: the preview says so (exit 3); activation is refused without --confirm.
        var wipe = Path.Combine(work, "wipe.yaml");
        await File.WriteAllTextAsync(wipe, Wipe, ct);
        Assert.Equal(0, (await VnaCli.RunAsync(server.BaseAddress, work, ct, "policy", "validate", wipe)).ExitCode);
        var preview = await VnaCli.RunAsync(server.BaseAddress, work, ct, "policy", "preview", wipe, "--days", "30");
        Assert.Equal(3, preview.ExitCode);
        Assert.Contains("WARNING: this would expire every study no legal hold protects", preview.Output, StringComparison.Ordinal);
        Assert.Contains("reject (hot)", preview.Output, StringComparison.Ordinal);
        Assert.Contains(uid, preview.Output, StringComparison.Ordinal);
        var refused = await VnaCli.RunAsync(server.BaseAddress, work, ct, "policy", "activate", wipe);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("NOT activated", refused.Errors, StringComparison.Ordinal);
        Assert.Contains("default@2026.1", (await VnaCli.RunAsync(server.BaseAddress, work, ct, "policy", "list")).Output, StringComparison.Ordinal);

        // A hold, then the confirmed activation: the held study is the one no policy may expire.
        var placed = await VnaCli.RunAsync(server.BaseAddress, work, ct, "hold", "place", "--study", uid, "--reason", "subpoena 44");
        Assert.Equal(0, placed.ExitCode);
        var holdId = placed.Output.Split(' ')[0];
        Assert.StartsWith("hold-", holdId, StringComparison.Ordinal);
        Assert.Contains(holdId, (await VnaCli.RunAsync(server.BaseAddress, work, ct, "hold", "list")).Output, StringComparison.Ordinal);
        var activated = await VnaCli.RunAsync(server.BaseAddress, work, ct, "policy", "activate", wipe, "--confirm", "--reason", "test wipe");
        Assert.Equal(0, activated.ExitCode);
        Assert.Contains("default@wipe", activated.Output, StringComparison.Ordinal);
        using (var lifecycle = JsonDocument.Parse(await (await http.PostAsync(new Uri(server.BaseAddress, $"api/lifecycle/studies/{uid}/evaluate"), null, ct)).Content.ReadAsStringAsync(ct)))
        {
            Assert.Equal((int)Core.StudyLifecycleState.Active, lifecycle.RootElement.GetProperty("state").GetInt32());
            Assert.True(lifecycle.RootElement.GetProperty("blockedByHold").GetBoolean());
        }

        Assert.Equal(0, (await VnaCli.RunAsync(server.BaseAddress, work, ct, "hold", "release", holdId, "--reason", "settled")).ExitCode);

        // The trail: who did what, with the policy version; and it verifies.
        var audit = await VnaCli.RunAsync(server.BaseAddress, work, ct, "audit", "list");
        Assert.Equal(0, audit.ExitCode);
        Assert.Contains("user:officer  policy-activated", audit.Output, StringComparison.Ordinal);
        Assert.Contains("test wipe  [default@wipe;mammography@2026.1;pediatric@2026.1;research-hold@2026.1]", audit.Output, StringComparison.Ordinal);
        Assert.Contains("hold-placed  " + uid, audit.Output, StringComparison.Ordinal);
        Assert.Contains("hold-released  " + uid, audit.Output, StringComparison.Ordinal);
        var verify = await VnaCli.RunAsync(server.BaseAddress, work, ct, "audit", "verify");
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("intact", verify.Output, StringComparison.Ordinal);
    }
}
