using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Vna.Cli.Admin;
using Vna.Cli.Import;

namespace Vna.Cli.Commands;

/// <summary>
/// The compliance officer's commands, each a call of the server's API: <c>vna policy validate|preview|activate|list</c>,
/// <c>vna hold place|release|list</c>, <c>vna audit list|verify</c>. Exit codes: 0 done, 2 the policy is invalid (each
/// problem printed as FILE:LINE:COLUMN), 3 the activation needs --confirm (the policy would expire every unheld study) or
/// the audit trail does not verify, 1 the archive could not be reached or refused the request.
/// </summary>
internal static class ComplianceCommands
{
    public const int Invalid = 2;
    public const int Attention = 3;

    public static Command Policy(CliConsole console)
    {
        var command = new Command("policy", "Retention policies: check a file, see what it would do, put it in force, list those in force.");

        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Policy files (YAML)." };
        var validateServer = ServerOption();
        var validate = new Command("validate", "Check policy files against the schema and the policies in force (nothing changes).") { files, validateServer };
        validate.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(validateServer), null, async http =>
        {
            var worst = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                using var answer = await http.SendAsync(HttpMethod.Post, "api/policies/validate?source=" + Uri.EscapeDataString(Path.GetFileName(file)), AdminHttp.Yaml(await File.ReadAllTextAsync(file, ct)), ct);
                if (answer.Ok)
                {
                    var r = answer.Root;
                    await WriteAsync(console, string.Create(CultureInfo.InvariantCulture,
                        $"{file}: valid ({r.GetProperty("name").GetString()}@{r.GetProperty("version").GetString()}, {r.GetProperty("rules").GetInt32()} rules{(r.GetProperty("hasDefault").GetBoolean() ? ", default" : string.Empty)})\n"), ct);
                }
                else if (answer.Status == HttpStatusCode.BadRequest)
                {
                    await PrintErrorsAsync(console, file, answer);
                    worst = Invalid;
                }
                else
                {
                    return await RefusedAsync(console, answer);
                }
            }

            return worst;
        }, ct));
        command.Subcommands.Add(validate);

        var file = new Argument<string?>("file") { Arity = ArgumentArity.ZeroOrOne, Description = "A policy file; without one, the policies in force." };
        var days = new Option<int>("--days", "-d") { Description = "The window in days (0: only what is due today). Default 30.", DefaultValueFactory = _ => 30 };
        var limit = new Option<int>("--limit") { Description = "At most this many studies listed. Default 50.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print the archive's JSON answer." };
        var previewServer = ServerOption();
        var preview = new Command("preview", "What a policy file (with the policies in force) would do to the archive today and over the next N days.") { file, days, limit, json, previewServer };
        preview.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(previewServer), null, async http =>
        {
            var path = parse.GetValue(file);
            var body = path is null ? AdminHttp.Yaml(string.Empty) : AdminHttp.Yaml(await File.ReadAllTextAsync(path, ct));
            var query = string.Create(CultureInfo.InvariantCulture, $"api/policies/preview?days={parse.GetValue(days)}&limit={parse.GetValue(limit)}&source={Uri.EscapeDataString(path is null ? "in-force" : Path.GetFileName(path))}");
            using var answer = await http.SendAsync(HttpMethod.Post, query, body, ct);
            if (answer.Status == HttpStatusCode.BadRequest)
            {
                await PrintErrorsAsync(console, path ?? "policy", answer);
                return Invalid;
            }

            if (!answer.Ok)
            {
                return await RefusedAsync(console, answer);
            }

            await WriteAsync(console, parse.GetValue(json) ? answer.Root.GetRawText() + "\n" : DescribePreview(answer.Root), ct);
            return answer.Root.GetProperty("expiresEverything").GetBoolean() ? Attention : 0;
        }, ct));
        command.Subcommands.Add(preview);

        var activateFile = new Argument<string>("file") { Description = "The policy file to put in force (replaces the active one of its name)." };
        var confirm = new Option<bool>("--confirm") { Description = "Proceed even though the policy would expire every study no legal hold protects." };
        var reason = new Option<string?>("--reason", "-r") { Description = "Why (recorded in the audit trail)." };
        var user = UserOption();
        var activateServer = ServerOption();
        var activate = new Command("activate", "Put a policy file in force (validated and previewed first; recorded in the audit trail before it takes effect).") { activateFile, confirm, reason, user, activateServer };
        activate.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(activateServer), parse.GetValue(user), async http =>
        {
            var path = parse.GetValue(activateFile)!;
            var query = string.Create(CultureInfo.InvariantCulture,
                $"api/policies/activate?confirm={(parse.GetValue(confirm) ? "true" : "false")}&source={Uri.EscapeDataString(Path.GetFileName(path))}{(parse.GetValue(reason) is { Length: > 0 } why ? "&reason=" + Uri.EscapeDataString(why) : string.Empty)}");
            using var answer = await http.SendAsync(HttpMethod.Post, query, AdminHttp.Yaml(await File.ReadAllTextAsync(path, ct)), ct);
            switch (answer.Status)
            {
                case HttpStatusCode.OK:
                    await WriteAsync(console, $"activated; policies in force: {answer.Root.GetProperty("policyVersion").GetString()}\n" + DescribePreview(answer.Root.GetProperty("preview")), ct);
                    return 0;
                case HttpStatusCode.BadRequest:
                    await PrintErrorsAsync(console, path, answer);
                    return Invalid;
                case HttpStatusCode.Conflict:
                    await console.Error.WriteLineAsync($"NOT activated: {answer.Detail}");
                    await WriteAsync(console, DescribePreview(answer.Root.GetProperty("preview")), ct);
                    return Attention;
                default:
                    return await RefusedAsync(console, answer);
            }
        }, ct));
        command.Subcommands.Add(activate);

        var listServer = ServerOption();
        var list = new Command("list", "The policy documents in force and their rules.") { listServer };
        list.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(listServer), null, async http =>
        {
            using var answer = await http.SendAsync(HttpMethod.Get, "api/policies", null, ct);
            if (!answer.Ok)
            {
                return await RefusedAsync(console, answer);
            }

            var text = new StringBuilder($"policies in force: {answer.Root.GetProperty("version").GetString()}\n");
            foreach (var d in answer.Root.GetProperty("documents").EnumerateArray())
            {
                text.Append(CultureInfo.InvariantCulture, $"{d.GetProperty("name").GetString()}@{d.GetProperty("version").GetString()}  sha256 {d.GetProperty("sha256").GetString()![..12]}  {d.GetProperty("description").GetString()}\n");
                foreach (var r in d.GetProperty("rules").EnumerateArray())
                {
                    text.Append(CultureInfo.InvariantCulture, $"  rule {r.GetProperty("name").GetString()} (precedence {r.GetProperty("precedence").GetInt32()}): {Actions(r.GetProperty("actions"))}\n");
                }

                if (d.GetProperty("default").ValueKind == JsonValueKind.Array)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  default: {Actions(d.GetProperty("default"))}\n");
                }
            }

            await WriteAsync(console, text.ToString(), ct);
            return 0;
        }, ct));
        command.Subcommands.Add(list);
        return command;
    }

    public static Command Hold(CliConsole console)
    {
        var command = new Command("hold", "Legal holds: a held study is never expired or purged, whatever the policy.");

        var study = new Option<string?>("--study") { Description = "The Study Instance UID to hold." };
        var patient = new Option<string?>("--patient") { Description = "The Patient ID whose every study (present and future) to hold." };
        var issuer = new Option<string?>("--issuer") { Description = "The Issuer of Patient ID (with --patient)." };
        var reason = new Option<string>("--reason", "-r") { Description = "The matter or order the hold serves.", Required = true };
        var user = UserOption();
        var placeServer = ServerOption();
        var place = new Command("place", "Place a hold on a study or on a patient.") { study, patient, issuer, reason, user, placeServer };
        place.Validators.Add(result =>
        {
            if (result.GetValue(study) is null == result.GetValue(patient) is null)
            {
                result.AddError("Give either --study or --patient.");
            }
        });
        place.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(placeServer), parse.GetValue(user), async http =>
        {
            var body = JsonSerializer.Serialize(new HoldBody(parse.GetValue(study), parse.GetValue(patient), parse.GetValue(issuer), parse.GetValue(reason)!), CliJsonContext.Default.HoldBody);
            using var answer = await http.SendAsync(HttpMethod.Post, "api/holds", AdminHttp.Json(body), ct);
            if (!answer.Ok)
            {
                return await RefusedAsync(console, answer);
            }

            await WriteAsync(console, DescribeHold(answer.Root), ct);
            return 0;
        }, ct));
        command.Subcommands.Add(place);

        var holdId = new Argument<string>("hold") { Description = "The hold's id (hold-…)." };
        var releaseReason = new Option<string>("--reason", "-r") { Description = "Why it is released.", Required = true };
        var releaseUser = UserOption();
        var releaseServer = ServerOption();
        var release = new Command("release", "Release a hold (recorded in the audit trail; the studies follow their policy again).") { holdId, releaseReason, releaseUser, releaseServer };
        release.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(releaseServer), parse.GetValue(releaseUser), async http =>
        {
            var body = JsonSerializer.Serialize(new ReleaseBody(parse.GetValue(releaseReason)!), CliJsonContext.Default.ReleaseBody);
            using var answer = await http.SendAsync(HttpMethod.Post, $"api/holds/{Uri.EscapeDataString(parse.GetValue(holdId)!)}/release", AdminHttp.Json(body), ct);
            if (!answer.Ok)
            {
                return await RefusedAsync(console, answer);
            }

            await WriteAsync(console, DescribeHold(answer.Root), ct);
            return 0;
        }, ct));
        command.Subcommands.Add(release);

        var all = new Option<bool>("--all") { Description = "Include released holds." };
        var holdListServer = ServerOption();
        var list = new Command("list", "The holds in force (with --all, the released ones too).") { all, holdListServer };
        list.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(holdListServer), null, async http =>
        {
            using var answer = await http.SendAsync(HttpMethod.Get, "api/holds?all=" + (parse.GetValue(all) ? "true" : "false"), null, ct);
            if (!answer.Ok)
            {
                return await RefusedAsync(console, answer);
            }

            var text = new StringBuilder();
            foreach (var h in answer.Root.EnumerateArray())
            {
                text.Append(DescribeHold(h));
            }

            await WriteAsync(console, text.Length == 0 ? "no holds\n" : text.ToString(), ct);
            return 0;
        }, ct));
        command.Subcommands.Add(list);
        return command;
    }

    public static Command Audit(CliConsole console)
    {
        var command = new Command("audit", "The audit trail: every migration, rejection, purge, hold and policy change, hash-chained.");
        var study = new Option<string?>("--study") { Description = "Only this study's records." };
        var action = new Option<string?>("--action") { Description = "Only this action (migrate, reject, purge, hold-placed, policy-activated…)." };
        var after = new Option<long>("--after") { Description = "Records after this id (paging)." };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many records. Default 100.", DefaultValueFactory = _ => 100 };
        var auditListServer = ServerOption();
        var list = new Command("list", "List audit records, oldest first.") { study, action, after, limit, auditListServer };
        list.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(auditListServer), null, async http =>
        {
            var query = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"api/audit?limit={parse.GetValue(limit)}&after={parse.GetValue(after)}"));
            if (parse.GetValue(study) is { } s)
            {
                query.Append("&study=").Append(Uri.EscapeDataString(s));
            }

            if (parse.GetValue(action) is { } a)
            {
                query.Append("&action=").Append(Uri.EscapeDataString(a));
            }

            using var answer = await http.SendAsync(HttpMethod.Get, query.ToString(), null, ct);
            if (!answer.Ok)
            {
                return await RefusedAsync(console, answer);
            }

            var text = new StringBuilder();
            foreach (var e in answer.Root.EnumerateArray())
            {
                var r = e.GetProperty("record");
                text.Append(CultureInfo.InvariantCulture,
                    $"{e.GetProperty("id").GetInt64(),6}  {r.GetProperty("at").GetDateTimeOffset():yyyy-MM-dd HH:mm:ss}  {r.GetProperty("actor").GetString()}  {r.GetProperty("action").GetString()}  {Optional(r, "studyInstanceUid") ?? "-"}  {r.GetProperty("reason").GetString()}{(Optional(r, "policyVersion") is { } v ? "  [" + v + "]" : string.Empty)}\n");
            }

            await WriteAsync(console, text.Length == 0 ? "no records\n" : text.ToString(), ct);
            return 0;
        }, ct));
        command.Subcommands.Add(list);

        var verifyServer = ServerOption();
        var verify = new Command("verify", "Recompute the hash chain of the whole trail; exit 3 and name the first row that does not match.") { verifyServer };
        verify.SetAction((parse, ct) => WithServerAsync(console, parse.GetValue(verifyServer), null, async http =>
        {
            using var answer = await http.SendAsync(HttpMethod.Get, "api/audit/verify", null, ct);
            if (!answer.Ok)
            {
                return await RefusedAsync(console, answer);
            }

            if (answer.Root.GetProperty("intact").GetBoolean())
            {
                await WriteAsync(console, "audit trail intact\n", ct);
                return 0;
            }

            await WriteAsync(console, string.Create(CultureInfo.InvariantCulture, $"audit trail BROKEN at record {answer.Root.GetProperty("firstBrokenId").GetInt64()}: it or the record before it was changed or removed\n"), ct);
            return Attention;
        }, ct));
        command.Subcommands.Add(verify);
        return command;
    }

    private static string DescribePreview(JsonElement r)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"policies: {r.GetProperty("policyVersion").GetString()}; archive: {r.GetProperty("archiveStudies").GetInt32()} studies, {Bytes(r.GetProperty("archiveBytes").GetInt64())}\n"));
        Totals(text, "today", r.GetProperty("today"));
        Totals(text, string.Create(CultureInfo.InvariantCulture, $"next {r.GetProperty("days").GetInt32()} days"), r.GetProperty("window"));
        text.Append(CultureInfo.InvariantCulture, $"expiring: {r.GetProperty("studiesExpiring").GetInt32()} studies; held back by legal holds: {r.GetProperty("studiesHeld").GetInt32()}\n");
        if (r.GetProperty("expiresEverything").GetBoolean())
        {
            text.Append("WARNING: this would expire every study no legal hold protects\n");
        }

        var steps = r.GetProperty("steps");
        foreach (var s in steps.EnumerateArray())
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {s.GetProperty("at").GetDateTimeOffset():yyyy-MM-dd}  {Step(s.GetProperty("action").GetString()!, s.GetProperty("tier").GetString()!, Optional(s, "target")),-12}  {s.GetProperty("studyInstanceUid").GetString()}  {Bytes(s.GetProperty("bytes").GetInt64())}  {Optional(s, "rule")}\n");
        }

        var count = r.GetProperty("stepCount").GetInt32();
        if (count > steps.GetArrayLength())
        {
            text.Append(CultureInfo.InvariantCulture, $"  … and {count - steps.GetArrayLength()} more steps (--limit)\n");
        }

        return text.ToString();
    }

    private static void Totals(StringBuilder text, string label, JsonElement lines)
    {
        text.Append(label).Append(':');
        if (lines.GetArrayLength() == 0)
        {
            text.Append(" nothing\n");
            return;
        }

        text.Append('\n');
        foreach (var l in lines.EnumerateArray())
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {Step(l.GetProperty("action").GetString()!, l.GetProperty("tier").GetString()!, Optional(l, "target")),-12}  {l.GetProperty("studies").GetInt32(),8} studies  {Bytes(l.GetProperty("bytes").GetInt64()),12}\n");
        }
    }

    private static string Step(string action, string tier, string? target) => target is null ? $"{action} ({tier})" : $"{tier}→{target}";

    private static string DescribeHold(JsonElement h)
    {
        var what = h.GetProperty("scope").GetString() == "study"
            ? "study " + h.GetProperty("studyInstanceUid").GetString()
            : "patient " + h.GetProperty("patientId").GetString() + (Optional(h, "issuerOfPatientId") is { Length: > 0 } i ? " (" + i + ")" : string.Empty);
        var released = Optional(h, "releasedAt") is { } at ? $"  released {at} by {Optional(h, "releasedBy")}" : string.Empty;
        return $"{h.GetProperty("holdId").GetString()}  {what}  placed {h.GetProperty("placedAt").GetDateTimeOffset():yyyy-MM-dd HH:mm} by {h.GetProperty("placedBy").GetString()}: {h.GetProperty("reason").GetString()}{released}\n";
    }

    private static string Actions(JsonElement actions) => string.Join("; ", actions.EnumerateArray().Select(a =>
        $"{a.GetProperty("kind").GetString()} after {a.GetProperty("after").GetString()} since {string.Join("/", a.GetProperty("since").EnumerateArray().Select(s => s.GetString()))}"));

    private static string? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 40 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 40):0.0} TiB"),
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static async Task PrintErrorsAsync(CliConsole console, string file, AdminAnswer answer)
    {
        if (answer.Root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            foreach (var e in errors.EnumerateArray())
            {
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{file}:{e.GetProperty("line").GetInt32()}:{e.GetProperty("column").GetInt32()}: {e.GetProperty("message").GetString()} ({e.GetProperty("path").GetString()})"));
            }
        }
        else
        {
            await console.Error.WriteLineAsync($"{file}: {answer.Detail}");
        }
    }

    private static async Task<int> RefusedAsync(CliConsole console, AdminAnswer answer)
    {
        await console.Error.WriteLineAsync($"the archive answered {(int)answer.Status}: {answer.Detail ?? answer.Root.GetRawText()}");
        return 1;
    }

    private static Task WriteAsync(CliConsole console, string text, CancellationToken cancellationToken) =>
        console.Output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();

    private static async Task<int> WithServerAsync(CliConsole console, string? server, string? user, Func<AdminHttp, Task<int>> run, CancellationToken cancellationToken)
    {
        if (ImportCommand.ParseServer(server) is not { } root)
        {
            await console.Error.WriteLineAsync("--server must be an absolute http:// or https:// URL.");
            return 1;
        }

        using var http = new AdminHttp(root, user ?? Environment.GetEnvironmentVariable("VNA_USER") ?? Environment.UserName);
        try
        {
            return await run(http);
        }
        catch (HttpRequestException ex)
        {
            await console.Error.WriteLineAsync($"cannot reach the archive at {root.GetLeftPart(UriPartial.Authority)}: {ex.Message}");
            return 1;
        }
        catch (IOException ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            await console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await console.Error.WriteLineAsync($"the archive's answer is not what this vna expects: {ex.Message}");
            return 1;
        }
    }

    private static Option<string> ServerOption() => new("--server", "-s")
    {
        Description = $"The archive's URL. Default: ${ImportSettings.ServerEnvironmentVariable}, else {ImportSettings.DefaultServer}.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ImportSettings.ServerEnvironmentVariable) is { Length: > 0 } url ? url : ImportSettings.DefaultServer,
    };

    private static Option<string?> UserOption() => new("--user", "-u")
    {
        Description = "Who acts (recorded in the audit trail). Default: $VNA_USER, else the login name.",
    };
}
