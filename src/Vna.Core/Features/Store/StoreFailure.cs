namespace Vna.Core;

/// <summary>Why an object was refused; front ends map these to DIMSE statuses and HTTP problem details.</summary>
public enum StoreFailure
{
    None = 0,

    /// <summary>The bytes are not a DICOM object (malformed, truncated): C-STORE 0xC000 "cannot understand", HTTP 400.</summary>
    CannotUnderstand = 1,

    /// <summary>Required UIDs missing or malformed: 0xC000 / 0xA900, HTTP 400.</summary>
    InvalidUid = 2,

    /// <summary>The data set disagrees with what the protocol announced (SOP class/instance, study): 0xA900, HTTP 409.</summary>
    DataSetDoesNotMatch = 3,

    /// <summary>SOP class not accepted: 0x0122, HTTP 409.</summary>
    SopClassNotSupported = 4,

    /// <summary>Same SOP Instance UID, different content, policy reject: 0xA900-class, HTTP 409.</summary>
    Conflict = 5,

    /// <summary>Too large, disk full, the index unreachable: 0xA700, HTTP 413/503.</summary>
    OutOfResources = 6,

    /// <summary>The department may not store.</summary>
    NotAuthorized = 7,
}
