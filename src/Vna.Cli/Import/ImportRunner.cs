using System.Globalization;
using System.Text;
using Spectre.Console;
using Vna.Core;

namespace Vna.Cli.Import;

/// <summary>
/// Runs <c>vna import</c>: finds the files, stores each through the Store feature (the same path as C-STORE and STOW-RS),
/// shows progress (a bar on a terminal, one line per file otherwise), then a summary. Exit codes: 0 nothing rejected,
/// 3 some files rejected, 1 the import could not start, 130 interrupted.
/// </summary>
internal sealed class ImportRunner
{
    public const int ExitOk = 0;
    public const int ExitCannotStart = 1;
    public const int ExitRejected = 3;
    public const int ExitInterrupted = 130;

    private const string Actor = "import";

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
            DepartmentOptions department;
            ImportHost host;
            try
            {
                var options = await ImportConfiguration.LoadAsync(_settings.ConfigPath, cancellationToken).ConfigureAwait(false);
                var resolver = new DepartmentResolver(options);
                department = (_settings.Department is null ? resolver.DefaultDepartment : resolver.FindByName(_settings.Department))
                    ?? throw new ImportConfigurationException(_settings.Department is null
                        ? "No --department given and the configuration has no default department."
                        : $"Unknown department '{_settings.Department}' (configured: {string.Join(", ", options.Departments.Select(d => d.Name))}).");
                if (!department.Allows("store"))
                {
                    throw new ImportConfigurationException($"The department '{department.Name}' may not store.");
                }

                host = await ImportHost.StartAsync(_settings, options, error, cancellationToken).ConfigureAwait(false);
            }
            catch (ImportConfigurationException ex)
            {
                await error.WriteLineAsync($"vna import: {ex.Message}").ConfigureAwait(false);
                return ExitCannotStart;
            }

            await using (host.ConfigureAwait(false))
            {
                var console = terminal && !_settings.Plain ? AnsiConsole.Console : null;
                if (host.Reconciliation.TemporaryFilesRemoved > 0)
                {
                    await writer.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Removed {host.Reconciliation.TemporaryFilesRemoved} temporary files ({host.Reconciliation.BytesReclaimed} bytes) left by an interrupted run; they were never acknowledged."))
                        .ConfigureAwait(false);
                }

                var summary = new ImportSummary();
                var files = FindFiles(_settings.Paths, summary);
                var request = new StoreRequest { Department = department.Name, Actor = Actor };
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
                                foreach (var file in files)
                                {
                                    task.Description = Markup.Escape(Shorten(file));
                                    summary.Add(await StoreFileAsync(host.Store, file, request, cancellationToken).ConfigureAwait(false));
                                    task.Increment(1);
                                }

                                task.Description = "Imported";
                                task.Value = task.MaxValue;
                            })
                            .ConfigureAwait(false);
                    }
                    else
                    {
                        foreach (var file in files)
                        {
                            var outcome = await StoreFileAsync(host.Store, file, request, cancellationToken).ConfigureAwait(false);
                            summary.Add(outcome);
                            await writer.WriteLineAsync(Line(outcome)).ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    interrupted = true;
                }

                if (console is not null)
                {
                    WriteSummary(console, summary, host.DataPath, department.Name);
                }
                else
                {
                    await WriteSummaryAsync(writer, summary, host.DataPath, department.Name).ConfigureAwait(false);
                }

                if (interrupted)
                {
                    await error.WriteLineAsync("vna import: interrupted; the files not listed above were not imported.").ConfigureAwait(false);
                    return ExitInterrupted;
                }

                return summary.AnyRejected ? ExitRejected : ExitOk;
            }
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
                summary.Add(ImportFileOutcome.Refused(path, "NotFound", "No such file or folder."));
            }
        }

        return files;
    }

    private static async Task<ImportFileOutcome> StoreFileAsync(StoreService store, string path, StoreRequest request, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ImportFileOutcome.Refused(path, "Unreadable", ex.Message);
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var result = await store.StoreAsync(stream, request, cancellationToken).ConfigureAwait(false);
                return ImportFileOutcome.From(path, result);
            }
            catch (IOException ex)
            {
                return ImportFileOutcome.Refused(path, "Unreadable", ex.Message);
            }
        }
    }

    private static string Line(ImportFileOutcome outcome)
    {
        var status = outcome.Status switch
        {
            StoreStatus.Stored => "stored",
            StoreStatus.Duplicate => "duplicate",
            StoreStatus.Replaced => "replaced",
            StoreStatus.KeptFirst => "kept-first",
            _ => "rejected",
        };
        return outcome.IsRejected
            ? $"{status,-10} {outcome.Path}: {outcome.Category}: {outcome.Reason}"
            : $"{status,-10} {outcome.Path}";
    }

    private static async Task WriteSummaryAsync(TextWriter writer, ImportSummary summary, string dataPath, string department)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Imported {summary.Total} files into {dataPath} (department '{department}'):").Append('\n');
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

    private static void WriteSummary(IAnsiConsole console, ImportSummary summary, string dataPath, string department)
    {
        console.WriteLine($"Imported {summary.Total} files into {dataPath} (department '{department}'):");
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
