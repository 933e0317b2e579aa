namespace Vna.Cli.Import;

/// <summary>What became of one file: the archive's answer (its store statuses), or a rejection.</summary>
internal enum ImportStatus
{
    /// <summary>The archive holds it now: durable and indexed.</summary>
    Stored = 0,

    /// <summary>The archive already held it with the same content.</summary>
    Duplicate = 1,

    /// <summary>It replaced the archived copy (the archive's duplicate policy is Replace).</summary>
    Replaced = 2,

    /// <summary>A different copy was archived already and kept (duplicate policy KeepFirst).</summary>
    KeptFirst = 3,

    /// <summary>Not stored: refused by the archive, not sent (missing, unreadable), or not acknowledged (archive unavailable).</summary>
    Rejected = 4,
}
