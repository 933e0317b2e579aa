namespace Vna.Lifecycle;

/// <summary>
/// DICOM audit messages (PS3.15 A.5) to a syslog collector (RFC 5424; UDP per RFC 5426, or TCP with octet counting per
/// RFC 6587). Section <c>Lifecycle:Syslog</c>; off unless <see cref="Enabled"/>.
/// </summary>
public sealed class SyslogOptions
{
    public const string SectionName = "Lifecycle:Syslog";

    public bool Enabled { get; set; }

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 514;

    /// <summary>"udp" or "tcp".</summary>
    public string Protocol { get; set; } = "udp";

    /// <summary>RFC 5424 facility (10: security/authorization, as IHE ATNA recommends).</summary>
    public int Facility { get; set; } = 10;

    public string AppName { get; set; } = "vna";

    /// <summary>The Audit Source ID of the messages (the archive's name in the audit repository).</summary>
    public string AuditSourceId { get; set; } = "VNA";

    /// <summary>Messages waiting to be sent beyond which the oldest are dropped (the audit trail in PostgreSQL keeps them all).</summary>
    public int QueueLimit { get; set; } = 10_000;

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "Lifecycle:Syslog:Host must be set.";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"Lifecycle:Syslog:Port {Port} is not a port.";
        }

        if (Protocol is not ("udp" or "tcp"))
        {
            yield return $"Lifecycle:Syslog:Protocol must be udp or tcp, not '{Protocol}'.";
        }

        if (Facility is < 0 or > 23)
        {
            yield return $"Lifecycle:Syslog:Facility {Facility} is not a syslog facility (0-23).";
        }

        if (QueueLimit < 1)
        {
            yield return "Lifecycle:Syslog:QueueLimit must be positive.";
        }
    }
}
