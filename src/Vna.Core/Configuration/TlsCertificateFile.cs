using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vna.Core;

/// <summary>
/// Loads a listener's TLS certificate as the settings name it: a PKCS#12 file (with its password, if any), or a PEM
/// certificate (chain) with its PEM private key. Every TLS listener of the archive (DIMSE, HTTP) reads its certificate here.
/// </summary>
public static class TlsCertificateFile
{
    /// <summary>
    /// The certificate of <paramref name="certificatePath"/>: PEM with <paramref name="keyPath"/>, else PKCS#12 with
    /// <paramref name="password"/>. A file that is missing or unreadable, or a certificate without its private key, throws
    /// <see cref="InvalidOperationException"/> naming the file and the setting.
    /// </summary>
    public static X509Certificate2 Load(string setting, string certificatePath, string? keyPath, string? password)
    {
        ArgumentException.ThrowIfNullOrEmpty(setting);
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        X509Certificate2 certificate;
        try
        {
            certificate = keyPath is { Length: > 0 }
                ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            var what = keyPath is { Length: > 0 } ? $"PEM certificate {certificatePath} with key {keyPath}" : $"PKCS#12 file {certificatePath}";
            throw new InvalidOperationException($"{setting}: cannot load the {what}: {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{setting}: {certificatePath} holds no private key (PKCS#12 with its key, or PEM with a key file).");
        }

        return certificate;
    }
}
