namespace Vna.Dimse.QueryRetrieve;

/// <summary>DIMSE status codes of the Query/Retrieve and Storage Commitment services (PS3.4 C.4, J.3; PS3.7 C).</summary>
public static class QueryRetrieveStatus
{
    public const ushort Success = 0x0000;

    /// <summary>Matches (or sub-operations) are continuing.</summary>
    public const ushort Pending = 0xFF00;

    /// <summary>C-FIND: matches are continuing, one or more optional keys were not supported for matching.</summary>
    public const ushort PendingWithWarning = 0xFF01;

    public const ushort Cancel = 0xFE00;

    /// <summary>Sub-operations complete, one or more failures or warnings (C-MOVE, C-GET).</summary>
    public const ushort SubOperationsCompleteWithFailures = 0xB000;

    /// <summary>Refused: out of resources (C-FIND).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>Refused: out of resources, unable to calculate the number of matches (C-MOVE, C-GET).</summary>
    public const ushort OutOfResourcesMatches = 0xA701;

    /// <summary>Refused: out of resources, unable to perform sub-operations (C-MOVE, C-GET).</summary>
    public const ushort OutOfResourcesSubOperations = 0xA702;

    /// <summary>Refused: move destination unknown (C-MOVE).</summary>
    public const ushort MoveDestinationUnknown = 0xA801;

    /// <summary>Error: data set does not match SOP class (the identifier is not one the model allows).</summary>
    public const ushort IdentifierDoesNotMatchSopClass = 0xA900;

    /// <summary>Failed: unable to process.</summary>
    public const ushort UnableToProcess = 0xC000;

    /// <summary>Refused: not authorized (the caller's department may not use this service).</summary>
    public const ushort NotAuthorized = 0x0124;

    /// <summary>True for 0xFF00 and 0xFF01.</summary>
    public static bool IsPending(ushort status) => status is Pending or PendingWithWarning;

    /// <summary>True for success and the warning statuses (0x0001, 0xBxxx) a storage sub-operation may end with.</summary>
    public static bool IsWarning(ushort status) => status == 0x0001 || (status & 0xF000) == 0xB000;
}
