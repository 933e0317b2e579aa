namespace Vna.Core;

/// <summary>What happened to one stored object. Success statuses are returned only after the object is durable and indexed.</summary>
public sealed record StoreResult
{
    public required StoreStatus Status { get; init; }

    public StoreFailure Failure { get; init; }

    /// <summary>A human-readable reason for a rejection or a warning (no PHI: UIDs and tags only).</summary>
    public string? Reason { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? SeriesInstanceUid { get; init; }

    public string? SopClassUid { get; init; }

    public string? SopInstanceUid { get; init; }

    /// <summary>Coercions applied and defects tolerated (C-STORE returns 0xB000 "coercion of data elements" when any attribute was changed).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when an attribute was changed by coercion.</summary>
    public bool Coerced { get; init; }

    public bool IsSuccess => Status != StoreStatus.Rejected;

    /// <summary>The stored instance (placement, checksum) when successful.</summary>
    public StoredInstance? Instance { get; init; }
}
