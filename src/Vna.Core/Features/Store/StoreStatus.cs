namespace Vna.Core;

/// <summary>The outcome of storing one object.</summary>
public enum StoreStatus
{
    /// <summary>Durable and indexed.</summary>
    Stored = 0,

    /// <summary>Already archived with the same content: success, nothing changed.</summary>
    Duplicate = 1,

    /// <summary>Replaced the archived copy (duplicate policy "replace"): success, audited.</summary>
    Replaced = 2,

    /// <summary>A different copy was already archived and kept (policy "keep first"): success with a warning, audited.</summary>
    KeptFirst = 3,

    /// <summary>Refused; nothing was stored.</summary>
    Rejected = 4,
}
