using System.ComponentModel.DataAnnotations;

namespace Vna.Server;

/// <summary>The host's settings (section "Vna"), bound from appsettings.json and environment variables (VNA__...), validated at start.</summary>
public sealed class VnaServerOptions
{
    public const string SectionName = "Vna";

    /// <summary>Where the hot tier and other local data live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "var";

    /// <summary>HTTP listen URL (DICOMweb, admin API): <c>http://</c>, or <c>https://</c> with <see cref="HttpsCertificatePath"/>.</summary>
    [Required]
    public string HttpUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The HTTPS certificate of an <c>https://</c> <see cref="HttpUrl"/>: a PKCS#12 file, or a PEM certificate (chain) with <see cref="HttpsKeyPath"/>.</summary>
    public string? HttpsCertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="HttpsCertificatePath"/>.</summary>
    public string? HttpsKeyPath { get; set; }

    /// <summary>The password of a PKCS#12 <see cref="HttpsCertificatePath"/>, if it has one.</summary>
    public string? HttpsCertificatePassword { get; set; }

    /// <summary>DIMSE listen address and port, and the archive's AE title (used by the DIMSE front end).</summary>
    public string DimseHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int DimsePort { get; set; } = 11112;

    [Required]
    [RegularExpression("^[ -\\[\\]-~]{1,16}$", ErrorMessage = "An AE title is 1-16 printable characters without a backslash.")]
    public string AeTitle { get; set; } = "VNA";

    /// <summary>PostgreSQL connection string (index, Orleans clustering, grain state, reminders).</summary>
    [Required]
    public string Postgres { get; set; } = "Host=127.0.0.1;Port=55432;Database=vna;Username=vna;Password=vna";

    /// <summary>Orleans cluster identity: silos with the same ClusterId form one cluster.</summary>
    [Required]
    public string ClusterId { get; set; } = "vna";

    /// <summary>Orleans service identity: keys grain state and reminders; never change it for an existing archive.</summary>
    [Required]
    public string ServiceId { get; set; } = "vna";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Free bytes the hot tier must have for <c>GET /health/ready</c> to say ready (default 1 GiB).</summary>
    [Range(0, long.MaxValue)]
    public long MinFreeHotBytes { get; set; } = 1L << 30;

    /// <summary>Faster failure detection (1 s probes): for local clusters and tests.</summary>
    public bool FastFailover { get; set; }
}
