namespace Vna.Policies;

/// <summary>One scheduled action of a rule: move to a tier (optionally re-encoding) or expire, a duration after its anchors.</summary>
public sealed record PolicyAction
{
    public required PolicyActionKind Kind { get; init; }

    public required PolicyDuration After { get; init; }

    /// <summary>The duration counts from the latest of these.</summary>
    public required IReadOnlyList<PolicyAnchor> Since { get; init; }

    /// <summary>For moves: the transfer syntax UID to re-encode to (null: as stored).</summary>
    public string? TransferSyntaxUid { get; init; }

    /// <summary>For expiry: how long the rejected study waits before its purge.</summary>
    public PolicyDuration Grace { get; init; } = new(30, 'd');
}
