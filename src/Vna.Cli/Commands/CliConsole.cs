namespace Vna.Cli.Commands;

/// <summary>Where commands write: the raw standard output (written through a buffer, not line by line) and the error text.</summary>
internal sealed record CliConsole(Stream Output, TextWriter Error);
