using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Vna.Cli.Import;

/// <summary>
/// Runs <c>vna import</c>: checks that the archive answers, finds the files, sends each to the archive's
/// <c>POST /api/instances</c> (the Store feature, as C-STORE and STOW-RS), N at a time, shows progress (a bar on a terminal,
/// one line per file otherwise), then a summary. Exit codes: 0 nothing rejected, 3 some files rejected (including files the
/// archive did not acknowledge), 1 the archive cannot be reached (or a usage error), 130 interrupted.
/// </summary>
internal sealed class ImportRunner
{
    public const int ExitOk = 0;
    public const int ExitCannotStart = 1;
    public const int ExitRejected = 3;
    public const int ExitInterrupted = 130;

    private readonly ImportSettings _settings;

    public ImportRunner(ImportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    public async Task<int> RunAsync(Stream output, TextWriter error, bool terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var writer = new StreamWriter(output, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            using var client = new ArchiveClient(_settings.Server, _settings.Department, _settings.Parallel, _settings.RequestTimeout);
            var problem = await client.CheckAsync(cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                await error.WriteLineAsync($"vna import: {problem}. Is it running? (deploy/local/run starts one; --server or ${ImportSettings.ServerEnvironmentVariable} names another.)")
                    .ConfigureAwait(false);
                return cancellationToken.IsCancellationRequested ? ExitInterrupted : ExitCannotStart;
            }

            var summary = new ImportSummary();
            var files = FindFiles(_settings.Paths, summary);
            var console = terminal && !_settings.Plain ? AnsiConsole.Console : null;
            var interrupted = false;
            try
            {
                if (console is not null)
                {
                    await console.Progress()
                        .AutoClear(false)
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                        .StartAsync(async context =>
                        {
                            var task = context.AddTask("Importing", autoStart: true, maxValue: Math.Max(files.Count, 1));
                            await SendAllAsync(client, files, summary, outcome =>
                            {
                                task.Description = Markup.Escape(Shorten(outcome.Path));
                                task.Increment(1);
                                return Task.CompletedTask;
                            }, cancellationToken).ConfigureAwait(false);
                            task.Description = "Imported";
                            task.Value = task.MaxValue;
                        })
                        .ConfigureAwait(false);
                }
                else
                {
                    using var gate = new SemaphoreSlim(1, 1);
                    await SendAllAsync(client, files, summary, async outcome =>
                    {
                        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                        try
                        {
                            await writer.WriteLineAsync(Line(outcome)).ConfigureAwait(false);
                        }
                        finally
                        {
                            gate.Release();
                        }
                    }, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
            }

            if (console is not null)
            {
                WriteSummary(console, summary, Where());
            }
            else
            {
                await WriteSummaryAsync(writer, summary, Where()).ConfigureAwait(false);
            }

            if (interrupted)
            {
                await error.WriteLineAsync("vna import: interrupted; the files not counted above were not imported (those in flight may or may not have been).")
                    .ConfigureAwait(false);
                return ExitInterrupted;
            }

            return summary.AnyRejected ? ExitRejected : ExitOk;
        }
    }

    /// <summary>Files named directly, in their order, then each folder's files (recursively, hidden ones skipped) in ordinal order. DICOMDIR files found in folders are skipped.</summary>
    internal static List<string> FindFiles(IReadOnlyList<string> paths, ImportSummary summary)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true }).Order(StringComparer.Ordinal))
                {
                    if (string.Equals(Path.GetFileName(file), "DICOMDIR", StringComparison.OrdinalIgnoreCase))
                    {
                        summary.Skipped++;
                    }
                    else
                    {
                        files.Add(file);
                    }
                }
            }
            else
            {
                summary.Add(ImportFileOutcome.Rejected(path, "NotFound", "No such file or folder."));
            }
        }

        return files;
    }

    /// <summary>Sends the files, <see cref="ImportSettings.Parallel"/> at a time; <paramref name="done"/> is called as each one ends.</summary>
    private async Task SendAllAsync(
        ArchiveClient client, List<string> files, ImportSummary summary, Func<ImportFileOutcome, Task> done, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = _settings.Parallel, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(files, options, async (file, token) =>
        {
            var outcome = await client.StoreAsync(file, token).ConfigureAwait(false);
            summary.Add(outcome);
            await done(outcome).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private string Where() =>
        $"{_settings.Server} ({(_settings.Department is null ? "the archive's default department" : $"department '{_settings.Department}'")})";

    private static string Line(ImportFileOutcome outcome)
    {
        var status = outcome.Status switch
        {
            ImportStatus.Stored => "stored",
            ImportStatus.Duplicate => "duplicate",
            ImportStatus.Replaced => "replaced",
            ImportStatus.KeptFirst => "kept-first",
            _ => "rejected",
        };
        return outcome.IsRejected
            ? $"{status,-10} {outcome.Path}: {outcome.Category}: {outcome.Reason}"
            : $"{status,-10} {outcome.Path}";
    }

    private static async Task WriteSummaryAsync(TextWriter writer, ImportSummary summary, string where)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Imported {summary.Total} files into {where}:").Append('\n');
        foreach (var (label, count) in summary.Rows())
        {
            text.Append(CultureInfo.InvariantCulture, $"  {label,-12}{count,8}").Append('\n');
        }

        if (summary.Skipped > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {"skipped",-12}{summary.Skipped,8}  (DICOMDIR)").Append('\n');
        }

        foreach (var group in summary.RejectedByCategory())
        {
            text.Append(CultureInfo.InvariantCulture, $"Rejected, {group.Key} ({group.Count()}):").Append('\n');
            foreach (var outcome in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {outcome.Path}: {outcome.Reason}").Append('\n');
            }
        }

        await writer.WriteAsync(text.ToString()).ConfigureAwait(false);
    }

    private static void WriteSummary(IAnsiConsole console, ImportSummary summary, string where)
    {
        console.WriteLine($"Imported {summary.Total} files into {where}:");
        var table = new Table()
            .AddColumn("outcome")
            .AddColumn(new TableColumn("files").RightAligned());
        foreach (var (label, count) in summary.Rows())
        {
            var cell = label == "rejected" && count > 0 ? $"[red]{count}[/]" : count.ToString(CultureInfo.InvariantCulture);
            table.AddRow(label, cell);
        }

        if (summary.Skipped > 0)
        {
            table.AddRow("skipped (DICOMDIR)", summary.Skipped.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        foreach (var group in summary.RejectedByCategory())
        {
            console.MarkupLine($"[red]Rejected, {Markup.Escape(group.Key)}[/] ({group.Count()}):");
            foreach (var outcome in group)
            {
                console.MarkupLine($"  {Markup.Escape(outcome.Path)}: {Markup.Escape(outcome.Reason ?? string.Empty)}");
            }
        }
    }

    private static string Shorten(string path) => path.Length <= 48 ? path : "…" + path[^47..];
}
