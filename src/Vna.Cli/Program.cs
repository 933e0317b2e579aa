using System.CommandLine;
using Vna.Cli.Commands;

namespace Vna.Cli;

/// <summary>The <c>vna</c> command line.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var output = Console.OpenStandardOutput();
        await using (output.ConfigureAwait(false))
        {
            return await RunAsync(args, new CliConsole(output, Console.Error), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Parses and runs a command line (the tests call this in-process). Usage errors return 1.</summary>
    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = CreateRootCommand(console);
        var configuration = new InvocationConfiguration
        {
            Output = new StreamWriter(console.Output, leaveOpen: true) { AutoFlush = true },
            Error = console.Error,
        };
        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    public static RootCommand CreateRootCommand(CliConsole console) =>
        new("vna: tools of the Vna medical image archive.")
        {
            DumpCommand.Create(console),
            ImportCommand.Create(console),
            TranscodeCommand.Create(console),
            TiersCommands.Restore(console),
            TiersCommands.Recall(console),
            TiersCommands.Verify(console),
            CommitmentCommands.Commitments(console),
            ComplianceCommands.Policy(console),
            ComplianceCommands.Hold(console),
            ComplianceCommands.Audit(console),
            NetworkCommands.Echo(console),
            NetworkCommands.Store(console),
            QueryRetrieveCommands.Find(console),
            QueryRetrieveCommands.Move(console),
            QueryRetrieveCommands.Get(console),
            QueryRetrieveCommands.Commit(console),
        };
}
