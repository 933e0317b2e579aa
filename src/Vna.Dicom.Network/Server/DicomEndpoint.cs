using System.Security.Cryptography.X509Certificates;

namespace Vna.Dicom.Network;

/// <summary>One address a <see cref="DicomServer"/> listens on: plain TCP, or DICOM TLS (PS3.15 B.1) when a certificate is given.</summary>
public sealed record DicomEndpoint(string Host, int Port, X509Certificate2? Certificate = null)
{
    /// <summary>With TLS: require and check a client certificate (mutual TLS).</summary>
    public bool RequireClientCertificate { get; init; }

    public bool UseTls => Certificate is not null;

    public override string ToString() => $"{(UseTls ? "dicom-tls" : "dicom")}://{Host}:{Port}";
}
