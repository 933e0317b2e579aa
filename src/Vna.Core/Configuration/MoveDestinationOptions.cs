namespace Vna.Core;

/// <summary>A C-MOVE destination: the AE title a requester names and where it listens.</summary>
public sealed class MoveDestinationOptions
{
    public string AeTitle { get; set; } = string.Empty;

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 104;

    public bool UseTls { get; set; }
}
