namespace Vna.Dimse.QueryRetrieve.Tests.Interop;

/// <summary>What a peer tool run left: its exit code and its output.</summary>
public sealed record ToolRun(int ExitCode, string Output, string Errors)
{
    public string All => Output + Errors;
}
