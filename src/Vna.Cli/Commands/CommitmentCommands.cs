using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vna.Cli.Commands;

/// <summary>
/// <c>vna commitments</c>: the storage commitment reports the archive keeps for requesters that could not take them yet
/// (the server's <c>/api/commitments</c>, role admin). <c>vna commitments [--state pending|abandoned]</c> lists them, one
/// line each (exit 3 when one listed is abandoned, for monitoring); <c>vna commitments retry ID</c> sends one again at once.
/// </summary>
internal static class CommitmentCommands
{
    public static Command Commitments(CliConsole console)
    {
        var server = TiersCommands.ServerOption();
        var state = new Option<string?>("--state") { Description = "Only reports in this state: pending or abandoned." };
        state.AcceptOnlyFromAmong("pending", "abandoned");
        var command = new Command("commitments", "List the storage commitment reports kept for requesters that could not take them yet.") { server, state };
        command.SetAction((parse, ct) =>
        {
            var query = parse.GetValue(state) is { } s ? "?state=" + s : "";
            return TiersCommands.RunAsync(console, HttpMethod.Get, TiersCommands.Url(parse.GetValue(server), "api/commitments" + query), (_, json) => List(json), ct);
        });

        var retryServer = TiersCommands.ServerOption();
        var id = new Argument<long>("id") { Description = "The report's id (first column of the list)." };
        var retry = new Command("retry", "Send a kept report again at once, with a new retry period.") { id, retryServer };
        retry.SetAction((parse, ct) => TiersCommands.RunAsync(
            console,
            HttpMethod.Post,
            TiersCommands.Url(parse.GetValue(retryServer), string.Create(CultureInfo.InvariantCulture, $"api/commitments/{parse.GetValue(id)}/retry")),
            (_, json) => (string.Create(CultureInfo.InvariantCulture, $"report {json.RootElement.GetProperty("id").GetInt64()} is pending again; it is sent at once\n"), 0),
            ct));
        command.Subcommands.Add(retry);
        return command;
    }

    private static (string Text, int ExitCode) List(JsonDocument json)
    {
        var text = new StringBuilder();
        var abandoned = false;
        foreach (var r in json.RootElement.EnumerateArray())
        {
            var state = r.GetProperty("state").GetString();
            abandoned |= state == "abandoned";
            text.Append(CultureInfo.InvariantCulture, $"{r.GetProperty("id").GetInt64()}  {state}  transaction {r.GetProperty("transactionUid").GetString()}")
                .Append(CultureInfo.InvariantCulture, $"  to {r.GetProperty("requesterAeTitle").GetString()} ({r.GetProperty("department").GetString()})")
                .Append(CultureInfo.InvariantCulture, $"  committed {r.GetProperty("committedCount").GetInt32()}, failed {r.GetProperty("failedCount").GetInt32()}")
                .Append(CultureInfo.InvariantCulture, $"  attempts {r.GetProperty("attempts").GetInt32()}");
            if (state == "pending" && r.GetProperty("nextAttemptAt").GetString() is { } next)
            {
                text.Append("  next ").Append(next);
            }

            if (r.GetProperty("lastError").GetString() is { } error)
            {
                text.Append("  last error: ").Append(error);
            }

            text.Append('\n');
        }

        if (text.Length == 0)
        {
            text.Append("no storage commitment report is waiting\n");
        }

        return (text.ToString(), abandoned ? TiersCommands.ProblemsFound : 0);
    }
}
