namespace Vna.Dicom.Network;

/// <summary>A user identity proposed in an A-ASSOCIATE-RQ (PS3.7 D.3.3.7.1). The secondary field is the passcode.</summary>
public sealed record UserIdentity(UserIdentityType Type, string PrimaryField, string? SecondaryField = null, bool PositiveResponseRequested = false)
{
    /// <summary>Never prints the passcode.</summary>
    public override string ToString() => $"{Type}: {PrimaryField}";
}
