namespace Vna.Dimse;

/// <summary>
/// The DIMSE front end's settings (section "Dimse" of the server configuration). The AE title, host and plain port default
/// to <c>Vna:AeTitle</c>, <c>Vna:DimseHost</c> and <c>Vna:DimsePort</c>. Who may associate comes from the departments of
/// the "Archive" section (their calling AE titles) and from <see cref="Users"/>.
/// </summary>
public sealed class DimseOptions
{
    public const string SectionName = "Dimse";

    public bool Enabled { get; set; } = true;

    /// <summary>The archive's AE title (the called AE title an association must name); null: <c>Vna:AeTitle</c>.</summary>
    public string? AeTitle { get; set; }

    /// <summary>Further called AE titles answered (aliases).</summary>
    public IList<string> AdditionalAeTitles { get; } = [];

    /// <summary>The address to listen on; null: <c>Vna:DimseHost</c>.</summary>
    public string? Host { get; set; }

    /// <summary>The plain TCP port; null: <c>Vna:DimsePort</c>; 0: no plain listener.</summary>
    public int? Port { get; set; }

    /// <summary>The DICOM TLS port (2762 is the registered one); null: no TLS listener.</summary>
    public int? TlsPort { get; set; }

    /// <summary>The server certificate: a PKCS#12 file, or a PEM certificate with <see cref="TlsKeyPath"/>.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>The password of a PKCS#12 certificate.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>Require a client certificate (mutual TLS) on the TLS port.</summary>
    public bool TlsRequireClientCertificate { get; set; }

    /// <summary>Associations served at once; one more is rejected (transient, local limit exceeded).</summary>
    public int MaxAssociations { get; set; } = 32;

    /// <summary>The largest P-DATA-TF PDU the archive receives.</summary>
    public uint MaxPduLength { get; set; } = 256 * 1024;

    public int ArtimTimeoutSeconds { get; set; } = 30;

    public int IdleTimeoutSeconds { get; set; } = 300;

    public int OperationTimeoutSeconds { get; set; } = 120;

    /// <summary>Let callers whose AE title no department lists associate (as the default department). Off: they are rejected with "calling AE title not recognized".</summary>
    public bool AllowUnknownCallingAeTitles { get; set; }

    /// <summary>Users for user identity negotiation (PS3.7 D.3.3.7).</summary>
    public IList<DimseUserOptions> Users { get; } = [];

    /// <summary>Reject associations that present no user identity (or one not in <see cref="Users"/>).</summary>
    public bool RequireUserIdentity { get; set; }

    /// <summary>SOP classes outside the dictionary accepted for storage (besides <c>Archive:AllowedPrivateSopClasses</c>).</summary>
    public IList<string> PrivateStorageSopClasses { get; } = [];
}
