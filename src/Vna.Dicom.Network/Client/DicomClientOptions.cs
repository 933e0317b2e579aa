using System.Net.Security;

namespace Vna.Dicom.Network;

/// <summary>Where and how a <see cref="DicomClient"/> connects.</summary>
public sealed class DicomClientOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = DicomNetworkDefaults.Port;

    /// <summary>Connect with DICOM TLS.</summary>
    public bool UseTls { get; set; }

    /// <summary>The TLS target host name (default: <see cref="Host"/>).</summary>
    public string? TlsTargetHost { get; set; }

    /// <summary>Checks the server's certificate (default: the system's validation).</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>Client certificates offered for mutual TLS.</summary>
    public System.Security.Cryptography.X509Certificates.X509CertificateCollection? ClientCertificates { get; set; }

    /// <summary>How long the TCP connection may take to open.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public DicomAssociationOptions Association { get; set; } = new();

    /// <summary>Services for requests the peer sends on the association (C-STORE sub-operations of a C-GET, N-EVENT-REPORT); null: answered "unrecognized operation".</summary>
    public DimseServiceRegistry? Services { get; set; }
}
