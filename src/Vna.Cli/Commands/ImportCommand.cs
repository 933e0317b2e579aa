using System.CommandLine;
using Vna.Cli.Import;

namespace Vna.Cli.Commands;

/// <summary>
/// <c>vna import PATH... [--department NAME] [--config FILE] [--data DIR] [--coordinator local] [--plain]</c>: stores DICOM
/// files and folders into the archive through the Store feature, with a progress bar and a summary. Exit code 0 when nothing
/// was rejected, 3 when some files were, 1 when the import could not start (or for usage errors), 130 when interrupted.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var paths = new Argument<string[]>("paths")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Files and folders to import (folders recursively, hidden files and DICOMDIR skipped).",
        };
        var department = new Option<string?>("--department", "-d")
        {
            Description = "The department the files come from (its issuer and coercions apply). Default: the configuration's default department.",
        };
        var config = new Option<string?>("--config", "-c")
        {
            Description = "A JSON file with the archive options: the server's appsettings.json (its \"Archive\" section) or that section alone.",
        };
        var data = new Option<string>("--data")
        {
            Description = "The hot tier's folder (studies/, tmp/, and for --coordinator local its index and audit trail).",
            DefaultValueFactory = _ => Path.Combine(".", "var", "hot"),
        };
        var coordinator = new Option<string>("--coordinator")
        {
            Description = "Which study coordinator registers the instances: 'local' (in-process, indexed under the data folder) until the archive server exists.",
            DefaultValueFactory = _ => ImportHost.LocalCoordinator,
        };
        coordinator.AcceptOnlyFromAmong([.. ImportHost.Coordinators]);
        var plain = new Option<bool>("--plain")
        {
            Description = "One line per file instead of a progress bar (the default when the output is not a terminal).",
        };

        var command = new Command("import", "Store DICOM files and folders into the archive (the same path as C-STORE and STOW-RS).")
        {
            paths,
            department,
            config,
            data,
            coordinator,
            plain,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new ImportSettings
            {
                Paths = parseResult.GetValue(paths) ?? [],
                Department = parseResult.GetValue(department),
                ConfigPath = parseResult.GetValue(config),
                DataPath = parseResult.GetValue(data)!,
                Coordinator = parseResult.GetValue(coordinator)!,
                Plain = parseResult.GetValue(plain),
            };
            return new ImportRunner(settings).RunAsync(console.Output, console.Error, terminal: !Console.IsOutputRedirected, cancellationToken);
        });
        return command;
    }
}
