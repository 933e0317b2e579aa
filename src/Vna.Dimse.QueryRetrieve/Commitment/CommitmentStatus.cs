namespace Vna.Dimse.QueryRetrieve;

/// <summary>Storage Commitment Push Model statuses and failure reasons (PS3.4 J.3.2, J.3.3; PS3.7 C).</summary>
public static class CommitmentStatus
{
    public const string SopClassUid = "1.2.840.10008.1.20.1";

    /// <summary>The well-known SOP instance an N-ACTION addresses.</summary>
    public const string SopInstanceUid = "1.2.840.10008.1.20.1.1";

    /// <summary>N-ACTION Action Type ID of "Request Storage Commitment".</summary>
    public const ushort RequestStorageCommitment = 1;

    public const ushort Success = 0x0000;

    /// <summary>Failure reason and N-ACTION status: processing failure.</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>Failure reason: no such object instance (not stored, not yet indexed, or hidden).</summary>
    public const ushort NoSuchObjectInstance = 0x0112;

    /// <summary>N-ACTION status: no such SOP instance (not the well-known commitment instance).</summary>
    public const ushort NoSuchSopInstance = 0x0112;

    /// <summary>N-ACTION status: no such SOP class.</summary>
    public const ushort NoSuchSopClass = 0x0118;

    /// <summary>Failure reason: the instance is stored under another SOP class.</summary>
    public const ushort ClassInstanceConflict = 0x0119;

    /// <summary>N-ACTION status: a required attribute is missing.</summary>
    public const ushort MissingAttribute = 0x0120;

    /// <summary>N-ACTION status: an attribute value is invalid.</summary>
    public const ushort InvalidAttributeValue = 0x0106;

    /// <summary>Failure reason: referenced SOP class not supported.</summary>
    public const ushort ReferencedSopClassNotSupported = 0x0122;

    /// <summary>N-ACTION status: no such action type.</summary>
    public const ushort NoSuchActionType = 0x0123;

    /// <summary>N-ACTION status: refused, not authorized.</summary>
    public const ushort NotAuthorized = 0x0124;

    /// <summary>N-ACTION status: processing failure because of resources (too many instances in one request).</summary>
    public const ushort ResourceLimitation = 0x0213;
}
