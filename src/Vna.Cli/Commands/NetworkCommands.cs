using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Vna.Cli.QueryRetrieve;
using Vna.Cli.Store;
using Vna.Codecs;
using Vna.Codecs.Transcoding;
using Vna.Dicom.Network;

namespace Vna.Cli.Commands;

/// <summary>
/// <c>vna echo</c> (C-ECHO) and <c>vna store</c> (C-STORE of files and folders) against the archive or any storage SCP.
/// Exit codes: 0 success, 3 some files failed (store), 2 the association or the request was refused, 1 the peer could not
/// be reached (or no file to send).
/// </summary>
internal static class NetworkCommands
{
    public const int Unreachable = 1;

    public static Command Echo(CliConsole console)
    {
        var scu = new ScuSettings();
        var count = new Option<int>("--repeat", "-r") { Description = "Number of C-ECHO requests on the association.", DefaultValueFactory = _ => 1 };
        var command = new Command("echo", "C-ECHO: check that the archive (or any DICOM peer) answers; prints the round-trip time.") { count };
        scu.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var where = scu.Describe(parse);
            var clock = Stopwatch.StartNew();
            DicomAssociation association;
            try
            {
                association = await scu.ConnectAsync(parse, [new PresentationContext(1, VerificationService.SopClassUid, TransferSyntaxes.Uncompressed)], [], null, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (Refusal(ex) is { } code)
            {
                await console.Error.WriteLineAsync($"vna echo: {where}: {ex.Message}").ConfigureAwait(false);
                return code;
            }

            await using (association.ConfigureAwait(false))
            {
                var associated = clock.Elapsed;
                var text = new StringBuilder();
                var worst = DimseStatus.Success;
                for (var i = 0; i < Math.Max(1, parse.GetValue(count)); i++)
                {
                    var one = Stopwatch.StartNew();
                    var status = await association.EchoAsync(ct).ConfigureAwait(false);
                    worst = status != DimseStatus.Success ? status : worst;
                    text.Append(CultureInfo.InvariantCulture, $"C-ECHO {where}: {ScuSettings.Hex(status)} in {one.Elapsed.TotalMilliseconds:0.00} ms\n");
                }

                await association.ReleaseAsync(ct).ConfigureAwait(false);
                text.Append(CultureInfo.InvariantCulture, $"associated in {associated.TotalMilliseconds:0.0} ms, total {clock.Elapsed.TotalMilliseconds:0.0} ms\n");
                await console.Output.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), ct).ConfigureAwait(false);
                return worst == DimseStatus.Success ? 0 : QueryRetrieveCommands.Refused;
            }
        });
        return command;
    }

    public static Command Store(CliConsole console)
    {
        var scu = new ScuSettings();
        var paths = new Argument<string[]>("paths") { Description = "Part 10 files and folders (searched recursively; DICOMDIR skipped).", Arity = ArgumentArity.OneOrMore };
        var associations = new Option<int>("--associations", "-j") { Description = "Associations used in parallel (files dealt round robin).", DefaultValueFactory = _ => 1 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "One line per file (otherwise: failures, warnings and a progress line every 2 s)." };
        var command = new Command(
            "store",
            "C-STORE: send files and folders to the archive (or any storage SCP), each in its own transfer syntax, falling back to an uncompressed one (decoding compressed files) when the peer refuses it; prints a summary.")
        {
            paths, associations, verbose,
        };
        scu.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var where = scu.Describe(parse);
            var missing = new List<string>();
            var found = StoreRunner.FindFiles(parse.GetValue(paths) ?? [], missing);
            var files = new List<StoreFile>();
            var runner = new StoreRunner((contexts, token) => scu.ConnectAsync(parse, contexts, [], null, token), console.Error, parse.GetValue(verbose))
            {
                Associations = parse.GetValue(associations),
                Transcoder = new DicomInstanceTranscoder(new CodecsOptions()),
            };
            foreach (var path in missing)
            {
                runner.Summary.Add(new StoreOutcome(path, 0, null, "no such file or folder"));
            }

            var named = (parse.GetValue(paths) ?? []).Where(File.Exists).ToHashSet(StringComparer.Ordinal);
            foreach (var path in found)
            {
                var (file, problem) = await StoreRunner.ScanAsync(path, ct).ConfigureAwait(false);
                if (file is null && named.Contains(path))
                {
                    runner.Summary.Add(new StoreOutcome(path, 0, null, problem));
                }
                else if (file is null)
                {
                    // Found in a folder: a non-DICOM file there (a README, a licence) is skipped, not a failure.
                    runner.Summary.Skip(new StoreOutcome(path, 0, null, problem));
                }
                else
                {
                    files.Add(file);
                }
            }

            if (files.Count == 0)
            {
                await console.Error.WriteLineAsync("vna store: no DICOM file to send.").ConfigureAwait(false);
                await console.Output.WriteAsync(Encoding.UTF8.GetBytes(runner.Summary.Describe(TimeSpan.Zero, where)), ct).ConfigureAwait(false);
                return Unreachable;
            }

            var clock = Stopwatch.StartNew();
            try
            {
                await runner.RunAsync(files, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (Refusal(ex) == Unreachable)
            {
                await console.Error.WriteLineAsync($"vna store: {where}: {ex.Message}").ConfigureAwait(false);
                return Unreachable;
            }

            await console.Output.WriteAsync(Encoding.UTF8.GetBytes(runner.Summary.Describe(clock.Elapsed, where)), ct).ConfigureAwait(false);
            if (runner.Summary.Stored + runner.Summary.Warnings == 0 && runner.Summary.Failures.All(f => f.Reason?.StartsWith("association rejected", StringComparison.Ordinal) == true))
            {
                return QueryRetrieveCommands.Refused;
            }

            return runner.Summary.Failed == 0 ? 0 : QueryRetrieveCommands.WithFailures;
        });
        return command;
    }

    /// <summary>The exit code for a failure to associate: 2 rejected, 1 not reached; null for anything else.</summary>
    private static int? Refusal(Exception ex) => ex switch
    {
        DicomAssociationRejectedException => QueryRetrieveCommands.Refused,
        SocketException or IOException or OperationCanceledException or DicomAssociationAbortedException or System.Security.Authentication.AuthenticationException => Unreachable,
        _ => null,
    };
}
