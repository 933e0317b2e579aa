using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Vna.Archive.Tiers;
using Vna.Core;
using Vna.Storage;
using Vna.Storage.Cold;
using Vna.Storage.Warm;

namespace Vna.Tiers;

/// <summary>
/// Copies studies between the hot tier (local files), the warm tier (one S3 object per instance plus a manifest) and the
/// cold tier (one LZ4 bundle per study plus a manifest), verifying every copy at its destination: S3 confirms each body
/// against its Content-MD5 and the ETag is compared with the MD5 computed here; the hot tier's copies are hashed while
/// written and compared with the recorded SHA-256 before they are committed. Never deletes a copy a placement refers to:
/// the study grain decides what to delete, after the flip.
/// </summary>
public sealed partial class TierMover(
    IHotStore hot,
    S3ObjectStore s3,
    IInstanceTranscoder transcoder,
    MigrationCoordinator coordinator,
    TiersOptions options,
    TimeProvider clock,
    ILogger<TierMover> logger,
    string scratchDirectory) : IStudyTierMover
{
    private const string DicomContentType = "application/dicom";
    private const string BundleContentType = "application/vnd.vna.study-bundle";

    private S3StorageOptions S3Options => s3.Options;

    public async Task<IReadOnlyList<StoredInstance>> CopyAsync(IReadOnlyList<StoredInstance> instances, StorageTier target, string? transferSyntaxUid, StudyPolicySnapshot policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(policy);
        using var slot = await coordinator.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var work = Directory.CreateDirectory(Path.Combine(scratchDirectory, Guid.NewGuid().ToString("N")));
        try
        {
            return target switch
            {
                StorageTier.Warm => await CopyToWarmAsync(instances, transferSyntaxUid, policy, work.FullName, cancellationToken).ConfigureAwait(false),
                StorageTier.Cold => await CopyToColdAsync(instances, transferSyntaxUid, policy, work.FullName, cancellationToken).ConfigureAwait(false),
                _ => await CopyToHotAsync(instances, work.FullName, cancellationToken).ConfigureAwait(false),
            };
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Scratch only; removed at the next start.
            }
        }
    }

    public async Task DeleteAsync(string studyInstanceUid, IReadOnlyList<TierLocation> copies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(copies);
        foreach (var copy in copies.Where(c => c.Tier == StorageTier.Hot))
        {
            await hot.DeleteAsync(copy.Location, cancellationToken).ConfigureAwait(false);
        }

        // After a move every instance of the study is on one tier: warm or cold copies to delete mean the study left that
        // tier, so its manifest there goes too (last: until then a rebuild would still find the copies it lists).
        var warm = copies.Where(c => c.Tier == StorageTier.Warm).Select(c => c.Location).Distinct(StringComparer.Ordinal).ToList();
        if (warm.Count > 0)
        {
            await s3.DeleteManyAsync(S3Options.WarmBucket, warm, cancellationToken).ConfigureAwait(false);
            await s3.DeleteAsync(S3Options.WarmBucket, TierKeys.Manifest(studyInstanceUid), cancellationToken).ConfigureAwait(false);
        }

        var cold = copies.Where(c => c.Tier == StorageTier.Cold).Select(c => c.Location).Distinct(StringComparer.Ordinal).ToList();
        if (cold.Count > 0)
        {
            await s3.DeleteManyAsync(S3Options.ColdBucket, cold, cancellationToken).ConfigureAwait(false);
            await s3.DeleteAsync(S3Options.ColdBucket, TierKeys.Manifest(studyInstanceUid), cancellationToken).ConfigureAwait(false);
        }
    }

    public TierLocation LocationOn(StorageTier tier, StoredInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return tier switch
        {
            StorageTier.Warm => new TierLocation(tier, TierKeys.Instance(instance.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid)),
            StorageTier.Cold => new TierLocation(tier, TierKeys.Bundle(instance.StudyInstanceUid)),
            _ => new TierLocation(tier, FileSystemHotStore.LocationOf(instance.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid, instance.Sha256)),
        };
    }

    public async Task<TimeSpan?> PrepareRecallAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        var key = TierKeys.Bundle(studyInstanceUid);
        var head = await s3.HeadAsync(S3Options.ColdBucket, key, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"The cold bundle of study {studyInstanceUid} is missing from {S3Options.ColdBucket}.", key);
        switch (head.RestoreInProgress)
        {
            case true:
                return options.RestoreRetryAfter;
            case false:
                return null; // restored: readable for the restore's days
        }

        if (!IsArchiveClass(head.StorageClass))
        {
            return null;
        }

        var started = await s3.RequestRestoreAsync(S3Options.ColdBucket, key, cancellationToken).ConfigureAwait(false);
        if (!started)
        {
            return null; // the server keeps every class readable
        }

        // A server that accepted the request but reports no restore state keeps the object readable: try it.
        var after = await s3.HeadAsync(S3Options.ColdBucket, key, cancellationToken).ConfigureAwait(false);
        if (after?.RestoreInProgress is null && await IsReadableAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        LogRestoreRequested(logger);
        return after?.RestoreInProgress == false ? null : options.RestoreRetryAfter;
    }

    private static bool IsArchiveClass(string storageClass) =>
        storageClass is "GLACIER" or "DEEP_ARCHIVE";

    private async Task<bool> IsReadableAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await s3.OpenReadAsync(S3Options.ColdBucket, key, cancellationToken).ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            return true;
        }
        catch (ObjectNotRestoredException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<StoredInstance>> CopyToWarmAsync(IReadOnlyList<StoredInstance> instances, string? transferSyntaxUid, StudyPolicySnapshot policy, string work, CancellationToken cancellationToken)
    {
        var study = instances[0].StudyInstanceUid;
        var unpacked = instances.Any(i => i.Tier == StorageTier.Cold)
            ? await UnpackBundleAsync(study, instances, work, cancellationToken).ConfigureAwait(false)
            : null;
        var placed = new ConcurrentBag<StoredInstance>();
        await System.Threading.Tasks.Parallel.ForEachAsync(instances, Bounded(cancellationToken), async (instance, token) =>
        {
            if (instance.Tier == StorageTier.Warm && !NeedsTranscode(instance, transferSyntaxUid))
            {
                placed.Add(instance);
                return;
            }

            var source = await LocalCopyAsync(instance, unpacked, work, token).ConfigureAwait(false);
            var encoded = await TranscodeIfAskedAsync(instance, source, transferSyntaxUid, work, token).ConfigureAwait(false);
            var key = TierKeys.Instance(instance.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid);
            var put = await s3.PutFileAsync(S3Options.WarmBucket, key, encoded.Path, encoded.Sha256, DicomContentType, S3Options.WarmStorageClass, token).ConfigureAwait(false);
            placed.Add(instance with { Tier = StorageTier.Warm, Location = key, Size = put.Length, Sha256 = encoded.Sha256, TransferSyntaxUid = encoded.TransferSyntaxUid });
        }).ConfigureAwait(false);

        var result = placed.ToList();
        var manifest = StudyManifest.Create(StorageTier.Warm, result, Snapshot(policy), clock.GetUtcNow());
        await s3.PutBytesAsync(S3Options.WarmBucket, TierKeys.Manifest(study), manifest.ToJson(), "application/json", null, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<IReadOnlyList<StoredInstance>> CopyToColdAsync(IReadOnlyList<StoredInstance> instances, string? transferSyntaxUid, StudyPolicySnapshot policy, string work, CancellationToken cancellationToken)
    {
        var study = instances[0].StudyInstanceUid;
        var unpacked = instances.Any(i => i.Tier == StorageTier.Cold)
            ? await UnpackBundleAsync(study, instances, work, cancellationToken).ConfigureAwait(false)
            : null;

        // Every instance as a local file in its final encoding (warm ones are downloaded, in parallel).
        var sources = new ConcurrentDictionary<string, Encoded>(StringComparer.Ordinal);
        await System.Threading.Tasks.Parallel.ForEachAsync(instances, Bounded(cancellationToken), async (instance, token) =>
        {
            var local = await LocalCopyAsync(instance, unpacked, work, token).ConfigureAwait(false);
            sources[instance.SopInstanceUid] = await TranscodeIfAskedAsync(instance, local, transferSyntaxUid, work, token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var bundleKey = TierKeys.Bundle(study);
        var placed = instances.Select(i =>
        {
            var e = sources[i.SopInstanceUid];
            return i with { Tier = StorageTier.Cold, Location = bundleKey, Size = e.Size, Sha256 = e.Sha256, TransferSyntaxUid = e.TransferSyntaxUid };
        }).ToList();
        var manifestJson = StudyManifest.Create(StorageTier.Cold, placed, Snapshot(policy), clock.GetUtcNow()).ToJson();

        var bundlePath = Path.Combine(work, "study.vnab");
        var file = new FileStream(bundlePath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            var writer = new StudyBundleWriter(file);
            await using (writer.ConfigureAwait(false))
            {
                await writer.AddAsync(TierKeys.ManifestName, manifestJson, cancellationToken).ConfigureAwait(false);
                foreach (var instance in placed)
                {
                    var e = sources[instance.SopInstanceUid];
                    var input = new FileStream(e.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    await using (input.ConfigureAwait(false))
                    {
                        var sha = await writer.AddAsync(StudyBundleFormat.InstanceEntry(instance.SeriesInstanceUid, instance.SopInstanceUid), input, e.Size, cancellationToken).ConfigureAwait(false);
                        if (!string.Equals(sha, instance.Sha256, StringComparison.Ordinal))
                        {
                            throw new ObjectVerificationException($"Instance {instance.SopInstanceUid} no longer matches its recorded SHA-256; the study is not moved.");
                        }
                    }
                }

                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await s3.PutFileAsync(S3Options.ColdBucket, bundleKey, bundlePath, null, BundleContentType, S3Options.ColdStorageClass, cancellationToken).ConfigureAwait(false);
        // The manifest beside the bundle stays in the standard class: a rebuild reads it without a restore.
        await s3.PutBytesAsync(S3Options.ColdBucket, TierKeys.Manifest(study), manifestJson, "application/json", null, cancellationToken).ConfigureAwait(false);
        return placed;
    }

    private async Task<IReadOnlyList<StoredInstance>> CopyToHotAsync(IReadOnlyList<StoredInstance> instances, string work, CancellationToken cancellationToken)
    {
        var placed = new ConcurrentBag<StoredInstance>(instances.Where(i => i.Tier == StorageTier.Hot));
        var cold = instances.Where(i => i.Tier == StorageTier.Cold).ToDictionary(i => StudyBundleFormat.InstanceEntry(i.SeriesInstanceUid, i.SopInstanceUid), StringComparer.Ordinal);
        if (cold.Count > 0)
        {
            // Straight from the bundle's stream into hot writes: each entry is checked against the bundle's checksum and the recorded one.
            var study = instances[0].StudyInstanceUid;
            var body = await s3.OpenReadAsync(S3Options.ColdBucket, TierKeys.Bundle(study), cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var reader = new StudyBundleReader(body);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        if (!cold.Remove(entry.Name, out var instance))
                        {
                            continue; // the manifest, or an instance whose placement is elsewhere now
                        }

                        var write = await hot.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
                        await using (write.ConfigureAwait(false))
                        {
                            var sha = await reader.CopyEntryToAsync(write.Stream, cancellationToken).ConfigureAwait(false);
                            CheckRecorded(instance, sha);
                            var location = await write.CommitAsync(instance.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid, sha, cancellationToken).ConfigureAwait(false);
                            placed.Add(instance with { Tier = StorageTier.Hot, Location = location });
                        }
                    }
                }
            }

            if (cold.Count > 0)
            {
                throw new BundleCorruptException($"The cold bundle of study {study} lacks {cold.Count} of its instances (e.g. {cold.Keys.First()}).");
            }
        }

        await System.Threading.Tasks.Parallel.ForEachAsync(instances.Where(i => i.Tier == StorageTier.Warm), Bounded(cancellationToken), async (instance, token) =>
        {
            var body = await s3.OpenReadAsync(S3Options.WarmBucket, instance.Location, token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var write = await hot.BeginWriteAsync(token).ConfigureAwait(false);
                await using (write.ConfigureAwait(false))
                {
                    var sha = await CopyHashingAsync(body, write.Stream, token).ConfigureAwait(false);
                    CheckRecorded(instance, sha);
                    var location = await write.CommitAsync(instance.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid, sha, token).ConfigureAwait(false);
                    placed.Add(instance with { Tier = StorageTier.Hot, Location = location });
                }
            }
        }).ConfigureAwait(false);

        return [.. placed];
    }

    /// <summary>Unpacks the study's cold bundle into <paramref name="work"/>; returns SOP Instance UID → file.</summary>
    private async Task<Dictionary<string, string>> UnpackBundleAsync(string study, IReadOnlyList<StoredInstance> instances, string work, CancellationToken cancellationToken)
    {
        var wanted = instances.Where(i => i.Tier == StorageTier.Cold).ToDictionary(i => StudyBundleFormat.InstanceEntry(i.SeriesInstanceUid, i.SopInstanceUid), StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var body = await s3.OpenReadAsync(S3Options.ColdBucket, TierKeys.Bundle(study), cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var reader = new StudyBundleReader(body);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (!wanted.Remove(entry.Name, out var instance))
                    {
                        continue;
                    }

                    var path = Path.Combine(work, instance.SopInstanceUid + ".unpacked.dcm");
                    var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                    await using (output.ConfigureAwait(false))
                    {
                        CheckRecorded(instance, await reader.CopyEntryToAsync(output, cancellationToken).ConfigureAwait(false));
                    }

                    files[instance.SopInstanceUid] = path;
                }
            }
        }

        if (wanted.Count > 0)
        {
            throw new BundleCorruptException($"The cold bundle of study {study} lacks {wanted.Count} of its instances.");
        }

        return files;
    }

    private async Task<string> LocalCopyAsync(StoredInstance instance, Dictionary<string, string>? unpacked, string work, CancellationToken cancellationToken)
    {
        switch (instance.Tier)
        {
            case StorageTier.Hot:
                return hot.GetFullPath(instance.Location);
            case StorageTier.Cold:
                return unpacked![instance.SopInstanceUid];
            default:
                var path = Path.Combine(work, instance.SopInstanceUid + ".warm.dcm");
                await s3.DownloadAsync(S3Options.WarmBucket, instance.Location, path, cancellationToken).ConfigureAwait(false);
                return path;
        }
    }

    private async Task<Encoded> TranscodeIfAskedAsync(StoredInstance instance, string path, string? transferSyntaxUid, string work, CancellationToken cancellationToken)
    {
        if (!NeedsTranscode(instance, transferSyntaxUid))
        {
            return new Encoded(path, instance.Sha256, instance.Size, instance.TransferSyntaxUid);
        }

        if (!transcoder.CanTranscode(instance.TransferSyntaxUid, transferSyntaxUid!))
        {
            throw new TranscodeException($"No codec re-encodes {instance.TransferSyntaxUid} as {transferSyntaxUid}; the study is not moved.");
        }

        var output = Path.Combine(work, instance.SopInstanceUid + ".transcoded.dcm");
        var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (input.ConfigureAwait(false))
        {
            var target = new FileStream(output, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                var result = await transcoder.TranscodeAsync(input, transferSyntaxUid!, target, new TranscodeOptions { NewSopInstanceUidWhenLossy = false }, cancellationToken).ConfigureAwait(false);
                if (result.Lossy || !string.Equals(result.SopInstanceUid, instance.SopInstanceUid, StringComparison.Ordinal))
                {
                    throw new TranscodeException($"Re-encoding {instance.SopInstanceUid} as {transferSyntaxUid} would be lossy; a move re-encodes only losslessly.");
                }

                await target.FlushAsync(cancellationToken).ConfigureAwait(false);
                target.Position = 0;
                var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(target, cancellationToken).ConfigureAwait(false));
                return new Encoded(output, sha, target.Length, result.TransferSyntaxUid);
            }
        }
    }

    private static bool NeedsTranscode(StoredInstance instance, string? transferSyntaxUid) =>
        transferSyntaxUid is not null && !string.Equals(instance.TransferSyntaxUid, transferSyntaxUid, StringComparison.Ordinal);

    private static void CheckRecorded(StoredInstance instance, string sha)
    {
        if (!string.Equals(sha, instance.Sha256, StringComparison.Ordinal))
        {
            throw new ObjectVerificationException($"The copy of instance {instance.SopInstanceUid} does not match its recorded SHA-256; it is not used.");
        }
    }

    private static async Task<string> CopyHashingAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 17];
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ManifestPolicyState Snapshot(StudyPolicySnapshot policy) =>
        new(policy.LifecycleState, policy.LegalHolds, policy.NextDueAt, policy.Reason);

    private ParallelOptions Bounded(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.CopyConcurrency, CancellationToken = cancellationToken };

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Restore of the cold bundle of a study requested; recall pending")]
    private static partial void LogRestoreRequested(ILogger logger);

    private sealed record Encoded(string Path, string Sha256, long Size, string TransferSyntaxUid);
}
