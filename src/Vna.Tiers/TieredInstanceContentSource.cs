using Vna.Core;
using Vna.Storage.Warm;

namespace Vna.Tiers;

/// <summary>
/// Opens an instance wherever its copy lives: a hot file, a warm S3 object (streamed), or — for a cold study — after a
/// recall to the hot tier, waiting up to the caller's limit and otherwise throwing <see cref="StudyRecallPendingException"/>
/// with a Retry-After while the recall goes on. A copy that moved between the caller's lookup and the open is found again
/// through the index.
/// </summary>
public sealed class TieredInstanceContentSource(IHotStore hot, S3ObjectStore s3, RecallCoordinator recalls, IIndexStore index) : IInstanceContentSource
{
    public Task<InstanceContent> OpenAsync(StoredInstance instance, TimeSpan maxWait, CancellationToken cancellationToken) =>
        OpenAsync(instance, maxWait, attempt: 0, cancellationToken);

    private async Task<InstanceContent> OpenAsync(StoredInstance instance, TimeSpan maxWait, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        try
        {
            switch (instance.Tier)
            {
                case StorageTier.Hot:
                    var file = await hot.OpenReadAsync(instance.Location, cancellationToken).ConfigureAwait(false);
                    return new InstanceContent(file, file.CanSeek ? file.Length : instance.Size, instance.TransferSyntaxUid, hot.GetFullPath(instance.Location));
                case StorageTier.Warm:
                    var body = await s3.OpenReadAsync(s3.Options.WarmBucket, instance.Location, cancellationToken).ConfigureAwait(false);
                    return new InstanceContent(body, instance.Size, instance.TransferSyntaxUid, null);
                default:
                    var status = await recalls.RecallAsync(instance.StudyInstanceUid, maxWait, cancellationToken).ConfigureAwait(false);
                    if (!status.Online)
                    {
                        throw new StudyRecallPendingException(instance.StudyInstanceUid, status.RetryAfter);
                    }

                    return await ReopenAsync(instance, maxWait, attempt, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException && attempt < 2)
        {
            // Moved since the caller looked it up (a migration flipped and deleted the old copy): read the placement again.
            return await ReopenAsync(instance, maxWait, attempt, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<InstanceContent> ReopenAsync(StoredInstance instance, TimeSpan maxWait, int attempt, Exception? cause, CancellationToken cancellationToken)
    {
        var current = await index.FindInstanceAsync(instance.SopInstanceUid, cancellationToken).ConfigureAwait(false);
        if (current is null || attempt >= 2 || (cause is not null && current.Tier == instance.Tier && current.Location == instance.Location))
        {
            throw cause ?? new FileNotFoundException($"Instance {instance.SopInstanceUid} is not in the archive any more.");
        }

        return await OpenAsync(current, maxWait, attempt + 1, cancellationToken).ConfigureAwait(false);
    }
}
