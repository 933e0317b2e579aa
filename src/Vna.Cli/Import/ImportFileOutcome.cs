namespace Vna.Cli.Import;

/// <summary>
/// What happened to one file. For a rejection, <see cref="Category"/> groups it in the summary: the archive's store failure
/// (CannotUnderstand, InvalidUid, Conflict, SopClassNotSupported, NotAuthorized, OutOfResources…), "archive unavailable"
/// (no answer, 503 or another server error: not acknowledged, send it again later), or a local one (NotFound, Unreadable).
/// </summary>
internal sealed record ImportFileOutcome(string Path, ImportStatus Status, string? Category, string? Reason)
{
    public const string ArchiveUnavailable = "archive unavailable";

    public bool IsRejected => Status == ImportStatus.Rejected;

    public static ImportFileOutcome Rejected(string path, string category, string reason) =>
        new(path, ImportStatus.Rejected, category, reason);
}
