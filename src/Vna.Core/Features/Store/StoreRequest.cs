using Vna.Dicom;

namespace Vna.Core;

/// <summary>Who is storing and what the protocol already told us about the object.</summary>
public sealed record StoreRequest
{
    /// <summary>The department the caller belongs to (resolved by the front end from the AE title or token).</summary>
    public required string Department { get; init; }

    /// <summary>The caller, for audit: a calling AE title, a token subject, "import".</summary>
    public required string Actor { get; init; }

    /// <summary>
    /// When the input is a bare data set (a C-STORE data set), its transfer syntax; null when the input is a Part 10 file
    /// (STOW-RS, import).
    /// </summary>
    public DicomTransferSyntax? BareDatasetSyntax { get; init; }

    /// <summary>The SOP Class UID the protocol announced (C-STORE Affected SOP Class UID); the data set must agree.</summary>
    public string? ExpectedSopClassUid { get; init; }

    /// <summary>The SOP Instance UID the protocol announced (C-STORE Affected SOP Instance UID); the data set must agree.</summary>
    public string? ExpectedSopInstanceUid { get; init; }

    /// <summary>The study the request is scoped to (STOW-RS POST /studies/{study}); the data set must agree.</summary>
    public string? ExpectedStudyInstanceUid { get; init; }
}
