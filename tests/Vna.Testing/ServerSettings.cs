using System.Security.Cryptography;

namespace Vna.Testing;

/// <summary>How to run one archive server process: its database, folders, ports and cluster identity.</summary>
public sealed record ServerSettings
{
    /// <summary>A short name for logs ("crash", "silo-2").</summary>
    public required string Name { get; init; }

    /// <summary>Connection string of the archive's database (<see cref="TestDatabase.ConnectionString"/>).</summary>
    public required string Postgres { get; init; }

    /// <summary>The server's working folder; its logs go to <c>logs/</c> below it.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The archive's data folder (the hot tier is <c>hot/</c> below it). Several servers may share one.</summary>
    public required string DataDirectory { get; init; }

    public int HttpPort { get; init; } = FreePorts.Next();

    public int SiloPort { get; init; } = FreePorts.Next();

    public int GatewayPort { get; init; } = FreePorts.Next();

    /// <summary>Not listened on yet (no DIMSE front end), but kept clear of the defaults other servers on the machine use.</summary>
    public int DimsePort { get; init; } = FreePorts.Next();

    /// <summary>Servers with the same ClusterId (and database) form one Orleans cluster.</summary>
    public string ClusterId { get; init; } = "it-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public string ServiceId { get; init; } = "vna";

    /// <summary>1 s probes, 2 missed probes: a dead silo is voted out in about a second.</summary>
    public bool FastFailover { get; init; } = true;

    /// <summary>Further configuration as environment keys without the VNA_ prefix, e.g. <c>Archive__DuplicatePolicy</c>.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    /// <summary>When set, the server serves HTTPS (only) on <see cref="HttpPort"/> with this certificate.</summary>
    public TestCertificate? Https { get; init; }

    public Uri BaseAddress => new($"{(Https is null ? "http" : "https")}://127.0.0.1:{HttpPort}/");

    /// <summary>Run the server in this network namespace (its health is then checked from inside; give it PostgreSQL's Unix socket).</summary>
    public NetworkNamespace? Namespace { get; init; }
}
