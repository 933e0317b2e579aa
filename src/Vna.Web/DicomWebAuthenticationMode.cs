namespace Vna.Web;

/// <summary>See <see cref="DicomWebAuthenticationOptions.Mode"/>.</summary>
public enum DicomWebAuthenticationMode
{
    Jwt = 0,
    Development = 1,
}
