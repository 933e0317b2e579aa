using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Vna.Cli.Admin;
using Vna.Cli.Import;

namespace Vna.Cli.Commands;

/// <summary>
/// The tiers' commands, each one call of the server's <c>/api/tiers</c> API:
/// <c>vna restore</c> (rebuild the index from the buckets), <c>vna recall STUDY</c> (bring a cold study back online) and
/// <c>vna verify STUDY</c> (read every instance back through its tier and check its SHA-256). Exit codes: 0 done,
/// 3 problems found (mismatched instances, unreadable manifests), 4 a recall is still pending (try again after the
/// time printed), 1 the archive could not be reached or refused the request.
/// </summary>
internal static class TiersCommands
{
    public const int ProblemsFound = 3;
    public const int Pending = 4;

    public static Command Restore(CliConsole console)
    {
        var server = ServerOption();
        var noVerify = new Option<bool>("--no-verify") { Description = "Do not check that each object a manifest lists exists with its size first." };
        var command = new Command("restore", "Rebuild the archive's index from the warm and cold buckets alone (every study's manifest.json).") { server, noVerify };
        command.SetAction((parse, ct) => RunAsync(console, HttpMethod.Post, Url(parse.GetValue(server), $"api/tiers/rebuild?verify={(parse.GetValue(noVerify) ? "false" : "true")}"), (status, json) =>
        {
            var r = json.RootElement;
            var problems = r.GetProperty("problems");
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                $"rebuilt {r.GetProperty("studies").GetInt32()} studies ({r.GetProperty("warmStudies").GetInt32()} warm, {r.GetProperty("coldStudies").GetInt32()} cold), {r.GetProperty("instances").GetInt32()} instances\n"));
            foreach (var p in problems.EnumerateArray())
            {
                text.Append("problem: ").Append(p.GetString()).Append('\n');
            }

            return (text.ToString(), problems.GetArrayLength() > 0 ? ProblemsFound : 0);
        }, ct));
        return command;
    }

    public static Command Recall(CliConsole console)
    {
        var server = ServerOption();
        var study = new Argument<string>("study") { Description = "The Study Instance UID." };
        var wait = WaitOption();
        var command = new Command("recall", "Recall a cold study to the hot tier; waits up to --wait seconds, then says when to ask again.") { study, server, wait };
        command.SetAction((parse, ct) => RunAsync(console, HttpMethod.Post, Url(parse.GetValue(server), $"api/tiers/studies/{Uri.EscapeDataString(parse.GetValue(study)!)}/recall?wait={parse.GetValue(wait).ToString(CultureInfo.InvariantCulture)}"), (status, json) =>
        {
            var r = json.RootElement;
            return status == HttpStatusCode.OK
                ? (string.Create(CultureInfo.InvariantCulture, $"online ({r.GetProperty("instancesRecalled").GetInt32()} instances recalled)\n"), 0)
                : (string.Create(CultureInfo.InvariantCulture, $"recall pending; ask again in {r.GetProperty("retryAfter").GetString()}\n"), Pending);
        }, ct));
        return command;
    }

    public static Command Verify(CliConsole console)
    {
        var server = ServerOption();
        var study = new Argument<string>("study") { Description = "The Study Instance UID." };
        var wait = WaitOption();
        var command = new Command("verify", "Read every instance of a study back from its tier (recalling a cold study) and check its SHA-256.") { study, server, wait };
        command.SetAction((parse, ct) => RunAsync(console, HttpMethod.Get, Url(parse.GetValue(server), $"api/tiers/studies/{Uri.EscapeDataString(parse.GetValue(study)!)}/verify?wait={parse.GetValue(wait).ToString(CultureInfo.InvariantCulture)}"), (status, json) =>
        {
            if (status == HttpStatusCode.Accepted)
            {
                return ("recall pending; run vna verify again later\n", Pending);
            }

            var r = json.RootElement;
            var mismatched = r.GetProperty("mismatched");
            var tiers = string.Join(", ", r.GetProperty("tiers").EnumerateObject().Select(t => $"{t.Value.GetInt32()} {t.Name.ToLowerInvariant()}"));
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                $"{r.GetProperty("verified").GetInt32()} of {r.GetProperty("instances").GetInt32()} instances verified ({r.GetProperty("bytes").GetInt64()} bytes; {tiers})\n"));
            foreach (var m in mismatched.EnumerateArray())
            {
                text.Append("mismatch: ").Append(m.GetString()).Append('\n');
            }

            return (text.ToString(), mismatched.GetArrayLength() > 0 ? ProblemsFound : 0);
        }, ct));
        return command;
    }

    internal static Option<string> ServerOption() => new("--server", "-s")
    {
        Description = $"The archive's URL. Default: ${ImportSettings.ServerEnvironmentVariable}, else {ImportSettings.DefaultServer}.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ImportSettings.ServerEnvironmentVariable) is { Length: > 0 } url ? url : ImportSettings.DefaultServer,
    };

    private static Option<double> WaitOption() => new("--wait", "-w")
    {
        Description = "Seconds to wait for a cold study's recall before giving up for now. Default 60.",
        DefaultValueFactory = _ => 60,
    };

    internal static Uri? Url(string? server, string path) =>
        ImportCommand.ParseServer(server) is { } root ? new Uri(root.ToString().TrimEnd('/') + "/" + path) : null;

    internal static async Task<int> RunAsync(CliConsole console, HttpMethod method, Uri? url, Func<HttpStatusCode, JsonDocument, (string Text, int ExitCode)> report, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            await console.Error.WriteLineAsync("--server must be an absolute http:// or https:// URL.").ConfigureAwait(false);
            return 1;
        }

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            using var request = new HttpRequestMessage(method, url);
            AdminToken.Apply(request);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
            {
                var detail = TryDetail(body) ?? Encoding.UTF8.GetString(body);
                await console.Error.WriteLineAsync($"the archive answered {(int)response.StatusCode}: {detail}").ConfigureAwait(false);
                return 1;
            }

            using var json = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            var (text, exitCode) = report(response.StatusCode, json);
            if (response.Headers.RetryAfter?.Delta is { } retry && response.StatusCode == HttpStatusCode.Accepted)
            {
                text = text.TrimEnd('\n') + string.Create(CultureInfo.InvariantCulture, $" (Retry-After {retry.TotalSeconds:0} s)\n");
            }

            await console.Output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            return exitCode;
        }
        catch (HttpRequestException ex)
        {
            await console.Error.WriteLineAsync($"cannot reach the archive at {url.GetLeftPart(UriPartial.Authority)}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (JsonException ex)
        {
            await console.Error.WriteLineAsync($"the archive's answer is not what this vna expects: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static string? TryDetail(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
