namespace Vna.Core;

/// <summary>What to do when an instance arrives again with the same SOP Instance UID but different content.</summary>
public enum DuplicatePolicy
{
    /// <summary>Refuse the new copy (C-STORE 0xA900-class failure, STOW-RS 409).</summary>
    Reject = 0,

    /// <summary>Keep the copy already archived, report success with a warning.</summary>
    KeepFirst = 1,

    /// <summary>Replace the archived copy with the new one.</summary>
    Replace = 2,
}
