namespace Vna.Web.Access;

/// <summary>What an endpoint needs from its caller.</summary>
public enum DicomWebPermission
{
    Read = 0,
    Write = 1,
}
