namespace Vna.Dimse;

/// <summary>The DIMSE options resolved against the server's defaults (AE title, host, port), as the listener and policy use them.</summary>
public sealed class DimseSettings
{
    public DimseSettings(DimseOptions options, string aeTitle, string host, int port)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        AeTitle = aeTitle.Trim();
        Host = host;
        Port = port;
        CalledAeTitles = new HashSet<string>(options.AdditionalAeTitles.Select(a => a.Trim()).Append(AeTitle), StringComparer.Ordinal);
    }

    public DimseOptions Options { get; }

    public string AeTitle { get; }

    public string Host { get; }

    public int Port { get; }

    public IReadOnlySet<string> CalledAeTitles { get; }
}
