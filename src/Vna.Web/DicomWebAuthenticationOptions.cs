namespace Vna.Web;

/// <summary>How DICOMweb callers are authenticated (section "DicomWeb:Authentication").</summary>
public sealed class DicomWebAuthenticationOptions
{
    /// <summary>
    /// <see cref="DicomWebAuthenticationMode.Jwt"/> (the default): every request needs a bearer token.
    /// <see cref="DicomWebAuthenticationMode.Development"/>: no token; every caller on the loopback interface is an
    /// administrator of every department, any other caller is refused, and the server refuses to start when it listens on
    /// anything but loopback.
    /// </summary>
    public DicomWebAuthenticationMode Mode { get; set; } = DicomWebAuthenticationMode.Jwt;

    /// <summary>HS256 signing key (at least 32 bytes of UTF-8 text), for tokens signed by a shared secret.</summary>
    public string? SigningKey { get; set; }

    /// <summary>OpenID Connect authority whose published keys sign the tokens (instead of <see cref="SigningKey"/>).</summary>
    public string? Authority { get; set; }

    /// <summary>Expected "iss"; null accepts any issuer.</summary>
    public string? Issuer { get; set; }

    /// <summary>Expected "aud"; null accepts any audience.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim holding the caller's roles (reader, writer, compliance-officer, admin).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim holding the departments the caller may act for ("*": all).</summary>
    public string DepartmentClaim { get; set; } = "departments";
}
