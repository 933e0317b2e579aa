namespace Vna.Core;

/// <summary>What the study's coordinator did with one registration.</summary>
public enum RegistrationOutcome
{
    /// <summary>A new instance, now placed and indexed.</summary>
    Registered = 0,

    /// <summary>The same SOP Instance UID with the same checksum: nothing changed (idempotent re-send).</summary>
    Duplicate = 1,

    /// <summary>Same SOP Instance UID, different content, policy "replace": the new copy is now the instance.</summary>
    Replaced = 2,

    /// <summary>Same SOP Instance UID, different content, policy "keep first": the new copy was discarded.</summary>
    KeptFirst = 3,

    /// <summary>Same SOP Instance UID, different content, policy "reject".</summary>
    RejectedConflict = 4,
}
