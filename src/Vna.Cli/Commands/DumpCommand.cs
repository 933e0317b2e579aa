using System.CommandLine;
using Vna.Cli.Dump;

namespace Vna.Cli.Commands;

/// <summary>
/// <c>vna dump PATH... [--json] [--strict] [--stop-at-pixel-data] [--parallel N]</c>: prints the elements of DICOM files,
/// as a dcmdump-style listing or as JSON lines. Exit code 0 when every file was read, 2 when any failed, 1 for usage errors.
/// </summary>
internal static class DumpCommand
{
    public static Command Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var paths = new Argument<string[]>("paths")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Files and folders to dump (folders recursively, their files in path order).",
        };
        var json = new Option<bool>("--json")
        {
            Description = "One JSON object per file per line: {path, transferSyntax, meta, dataset, warnings} in DICOM JSON, or {path, error}.",
        };
        var strict = new Option<bool>("--strict")
        {
            Description = "Fail files with defects the reader otherwise tolerates (odd lengths, wrong VRs, missing meta elements).",
        };
        var stopAtPixelData = new Option<bool>("--stop-at-pixel-data")
        {
            Description = "Stop reading each file at (7FE0,0010) Pixel Data.",
        };
        var parallel = new Option<int>("--parallel", "-j")
        {
            Description = "Read this many files at once (the output keeps the order of the files).",
            DefaultValueFactory = _ => 1,
        };
        parallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--parallel must be at least 1.");
            }
        });

        // The normalised form that tests/tools/pydicom_dump.py prints from pydicom (for the comparison tests).
        var canonical = new Option<bool>("--canonical") { Hidden = true };

        var command = new Command("dump", "Print the elements of DICOM files (like dcmdump), or JSON lines with --json.")
        {
            paths,
            json,
            strict,
            stopAtPixelData,
            parallel,
            canonical,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(canonical))
            {
                result.AddError("--json and --canonical cannot be combined.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new DumpSettings
            {
                Format = parseResult.GetValue(canonical) ? DumpFormat.Canonical
                    : parseResult.GetValue(json) ? DumpFormat.Json
                    : DumpFormat.Text,
                Strict = parseResult.GetValue(strict),
                StopAtPixelData = parseResult.GetValue(stopAtPixelData),
                Parallelism = parseResult.GetValue(parallel),
            };
            return new DumpRunner(settings).RunAsync(parseResult.GetValue(paths) ?? [], console.Output, cancellationToken);
        });
        return command;
    }
}
