using Vna.Archive.Grains;
using Vna.Core;
using Vna.Storage.Warm;

namespace Vna.Tiers;

/// <summary>
/// Rebuilds the archive's record from the buckets alone: every <c>studies/{Study}/manifest.json</c> of the warm bucket,
/// then of the cold bucket (a study found in both — a crash between a move's copy and its clean-up — is taken from the
/// warm one, which needs no recall), each study's placements handed to its grain, which writes them to the index.
/// With <c>verify</c>, each warm object (and each cold bundle) is checked to exist with the recorded size first.
/// </summary>
public sealed class IndexRebuilder(S3ObjectStore s3, IGrainFactory grains)
{
    public async Task<RebuildReport> RebuildAsync(bool verify, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var found = new Dictionary<string, StudyManifest>(StringComparer.Ordinal);
        foreach (var bucket in new[] { s3.Options.WarmBucket, s3.Options.ColdBucket })
        {
            await foreach (var key in s3.ListKeysAsync(bucket, TierKeys.StudiesPrefix, cancellationToken).ConfigureAwait(false))
            {
                if (TierKeys.StudyOfManifest(key) is not { } study || found.ContainsKey(study))
                {
                    continue;
                }

                try
                {
                    var body = await s3.OpenReadAsync(bucket, key, cancellationToken).ConfigureAwait(false);
                    using var buffer = new MemoryStream();
                    await using (body.ConfigureAwait(false))
                    {
                        await body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                    }

                    var manifest = StudyManifest.Parse(buffer.ToArray());
                    if (!string.Equals(manifest.StudyInstanceUid, study, StringComparison.Ordinal))
                    {
                        problems.Add($"{bucket}/{key}: names study {manifest.StudyInstanceUid}");
                        continue;
                    }

                    if (verify && await VerifyAsync(bucket, manifest, cancellationToken).ConfigureAwait(false) is { } problem)
                    {
                        problems.Add(problem);
                        continue;
                    }

                    found[study] = manifest;
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or FileNotFoundException)
                {
                    problems.Add($"{bucket}/{key}: {ex.Message}");
                }
            }
        }

        var instances = 0;
        foreach (var manifest in found.Values)
        {
            instances += await grains.GetGrain<IStudyTierGrain>(manifest.StudyInstanceUid)
                .AdoptPlacementsAsync([.. manifest.ToStoredInstances()]).ConfigureAwait(false);
        }

        return new RebuildReport(found.Count, instances, found.Values.Count(m => m.Tier == StorageTier.Warm), found.Values.Count(m => m.Tier == StorageTier.Cold), problems);
    }

    private async Task<string?> VerifyAsync(string bucket, StudyManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Tier == StorageTier.Cold)
        {
            var bundle = await s3.HeadAsync(bucket, TierKeys.Bundle(manifest.StudyInstanceUid), cancellationToken).ConfigureAwait(false);
            return bundle is null ? $"study {manifest.StudyInstanceUid}: the manifest is in {bucket} but the bundle is missing" : null;
        }

        foreach (var instance in manifest.Instances)
        {
            var head = await s3.HeadAsync(bucket, instance.Key, cancellationToken).ConfigureAwait(false);
            if (head is null || head.Length != instance.Size || (head.Sha256 is not null && !string.Equals(head.Sha256, instance.Sha256, StringComparison.Ordinal)))
            {
                return $"study {manifest.StudyInstanceUid}: {bucket}/{instance.Key} is missing or differs from the manifest";
            }
        }

        return null;
    }
}
