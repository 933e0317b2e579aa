namespace Vna.Dimse;

/// <summary>A user who may associate with user identity negotiation: a username, or a username and passcode.</summary>
public sealed class DimseUserOptions
{
    public string Username { get; set; } = string.Empty;

    /// <summary>Null: the username alone identifies the user (user identity type 1); set: type 2 with this passcode is required.</summary>
    public string? Password { get; set; }

    /// <summary>The department the user acts for (overrides the calling AE title's); null: the calling AE title's.</summary>
    public string? Department { get; set; }
}
