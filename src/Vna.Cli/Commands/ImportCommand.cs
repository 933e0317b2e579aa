using System.CommandLine;
using Vna.Cli.Import;

namespace Vna.Cli.Commands;

/// <summary>
/// <c>vna import PATH... [--server URL] [--department NAME] [--parallel N] [--plain]</c>: sends DICOM files and folders to
/// the archive server (<c>POST /api/instances</c>), N files in flight, with a progress bar and a summary. Exit code 0 when
/// nothing was rejected, 3 when some files were (or were not acknowledged), 1 when the archive cannot be reached or for
/// usage errors, 130 when interrupted.
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
        var server = new Option<string>("--server", "-s")
        {
            Description = $"The archive's URL. Default: ${ImportSettings.ServerEnvironmentVariable}, else {ImportSettings.DefaultServer}.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ImportSettings.ServerEnvironmentVariable) is { Length: > 0 } url
                ? url
                : ImportSettings.DefaultServer,
        };
        server.Validators.Add(result =>
        {
            if (ParseServer(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--server must be an absolute http:// or https:// URL, not '{result.GetValueOrDefault<string>()}'.");
            }
        });
        var department = new Option<string?>("--department", "-d")
        {
            Description = "The department the files come from (its issuer, coercions and permission to store apply; the archive's configuration defines them). Default: the archive's default department.",
        };
        var parallel = new Option<int>("--parallel", "-j")
        {
            Description = $"How many files are in flight at once (1-{ImportSettings.MaxParallel}). Default {ImportSettings.DefaultParallel}.",
            DefaultValueFactory = _ => ImportSettings.DefaultParallel,
        };
        parallel.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < 1 || value > ImportSettings.MaxParallel)
            {
                result.AddError($"--parallel must be between 1 and {ImportSettings.MaxParallel}, not {value}.");
            }
        });
        var plain = new Option<bool>("--plain")
        {
            Description = "One line per file instead of a progress bar (the default when the output is not a terminal).",
        };

        var command = new Command("import", "Send DICOM files and folders to the archive server (the same Store path as C-STORE and STOW-RS).")
        {
            paths,
            server,
            department,
            parallel,
            plain,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new ImportSettings
            {
                Paths = parseResult.GetValue(paths) ?? [],
                Server = ParseServer(parseResult.GetValue(server))!,
                Department = parseResult.GetValue(department) is { Length: > 0 } name ? name : null,
                Parallel = parseResult.GetValue(parallel),
                Plain = parseResult.GetValue(plain),
            };
            return new ImportRunner(settings).RunAsync(console.Output, console.Error, terminal: !Console.IsOutputRedirected, cancellationToken);
        });
        return command;
    }

    /// <summary>The base URL with a trailing slash (so that relative API paths keep any prefix), or null when it is not an http(s) URL.</summary>
    internal static Uri? ParseServer(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
