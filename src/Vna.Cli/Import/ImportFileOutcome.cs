using Vna.Core;

namespace Vna.Cli.Import;

/// <summary>What happened to one file: a store result, or why it could not even be offered (missing, unreadable).</summary>
internal sealed record ImportFileOutcome(string Path, StoreStatus Status, string? Category, string? Reason)
{
    public bool IsRejected => Status == StoreStatus.Rejected;

    public static ImportFileOutcome From(string path, StoreResult result) =>
        new(path, result.Status, result.Status == StoreStatus.Rejected ? result.Failure.ToString() : null, result.Reason);

    public static ImportFileOutcome Refused(string path, string category, string reason) =>
        new(path, StoreStatus.Rejected, category, reason);
}
