namespace Vna.Dicom.Network;

/// <summary>DIMSE status codes (PS3.7 Annex C, PS3.4) used by the services; <see cref="IsPending"/> and friends classify any code.</summary>
public static class DimseStatus
{
    public const ushort Success = 0x0000;
    public const ushort Cancel = 0xFE00;
    public const ushort Pending = 0xFF00;

    /// <summary>C-FIND pending: one or more optional keys not supported.</summary>
    public const ushort PendingWarning = 0xFF01;

    /// <summary>C-STORE warning: coercion of data elements.</summary>
    public const ushort CoercionOfDataElements = 0xB000;

    /// <summary>C-STORE warning: elements discarded.</summary>
    public const ushort ElementsDiscarded = 0xB006;

    /// <summary>C-STORE warning: data set does not match SOP class.</summary>
    public const ushort DataSetDoesNotMatchSopClassWarning = 0xB007;

    /// <summary>C-MOVE/C-GET warning: sub-operations complete, one or more failures or warnings.</summary>
    public const ushort SubOperationsCompleteWithFailures = 0xB000;

    /// <summary>Refused: out of resources (C-STORE 0xA7xx).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>C-MOVE/C-GET: out of resources, unable to calculate the number of matches.</summary>
    public const ushort OutOfResourcesUnableToCalculate = 0xA701;

    /// <summary>C-MOVE/C-GET: out of resources, unable to perform sub-operations.</summary>
    public const ushort OutOfResourcesSubOperations = 0xA702;

    /// <summary>C-MOVE: move destination unknown.</summary>
    public const ushort MoveDestinationUnknown = 0xA801;

    /// <summary>Error: data set does not match SOP class (C-STORE 0xA9xx).</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>Error: cannot understand (C-STORE 0xCxxx).</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>C-FIND/C-MOVE/C-GET: identifier does not match SOP class.</summary>
    public const ushort IdentifierDoesNotMatchSopClass = 0xA900;

    /// <summary>C-FIND/C-MOVE/C-GET: unable to process.</summary>
    public const ushort UnableToProcess = 0xC000;

    public const ushort NoSuchSopClass = 0x0118;
    public const ushort SopClassNotSupported = 0x0122;
    public const ushort NotAuthorized = 0x0124;
    public const ushort DuplicateSopInstance = 0x0111;
    public const ushort InvalidArgumentValue = 0x0115;
    public const ushort MistypedArgument = 0x0105;
    public const ushort NoSuchActionType = 0x0123;
    public const ushort NoSuchEventType = 0x0113;
    public const ushort ProcessingFailure = 0x0110;
    public const ushort UnrecognizedOperation = 0x0211;
    public const ushort DuplicateInvocation = 0x0210;
    public const ushort ResourceLimitation = 0x0213;

    public static bool IsSuccess(ushort status) => status == Success;

    public static bool IsPending(ushort status) => status is Pending or PendingWarning;

    public static bool IsWarning(ushort status) => status is 0x0001 or 0x0107 or 0x0116 || (status & 0xF000) == 0xB000;

    public static bool IsCancel(ushort status) => status == Cancel;

    /// <summary>Any failure (neither success, warning, pending nor cancel).</summary>
    public static bool IsFailure(ushort status) => !IsSuccess(status) && !IsPending(status) && !IsWarning(status) && !IsCancel(status);
}
