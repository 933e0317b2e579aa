using System.Security.Cryptography;
using Vna.Core;

namespace Vna.Tiers;

/// <summary>Reads every instance of a study through the content source (any tier; a cold study is recalled) and checks its SHA-256.</summary>
public sealed class StudyVerifier(IIndexStore index, IInstanceContentSource content)
{
    public async Task<VerifyReport> VerifyAsync(string studyInstanceUid, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var instances = await index.GetStudyInstancesAsync(studyInstanceUid, cancellationToken).ConfigureAwait(false);
        var bad = new List<string>();
        long bytes = 0;
        foreach (var instance in instances)
        {
            var opened = await content.OpenAsync(instance, maxWait, cancellationToken).ConfigureAwait(false);
            await using (opened.ConfigureAwait(false))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await opened.Stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    bytes += n;
                }

                if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), instance.Sha256, StringComparison.Ordinal))
                {
                    bad.Add(instance.SopInstanceUid);
                }
            }
        }

        var tiers = instances.GroupBy(i => i.Tier).ToDictionary(g => g.Key.ToString(), g => g.Count(), StringComparer.Ordinal);
        return new VerifyReport(studyInstanceUid, instances.Count, instances.Count - bad.Count, bytes, tiers, bad);
    }
}
