namespace Vna.Core;

/// <summary>One audited event: who did what to which study, when and why.</summary>
public sealed record AuditRecord
{
    public required DateTimeOffset At { get; init; }

    /// <summary>The actor: a user, a department's AE title, or "system" with the policy version.</summary>
    public required string Actor { get; init; }

    /// <summary>A short verb: "instance-replaced", "duplicate-rejected", "migrated", "purged", "hold-placed"…</summary>
    public required string Action { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? SopInstanceUid { get; init; }

    public required string Reason { get; init; }

    /// <summary>Free-form details (JSON); never PHI beyond UIDs.</summary>
    public string? Details { get; init; }

    /// <summary>The version of the policies the action was taken under ("name@version;…"), when a policy decided it.</summary>
    public string? PolicyVersion { get; init; }
}
