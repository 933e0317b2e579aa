using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Decides which instances of a storage commitment request the archive commits: those the index holds, in a visible
/// study, under the same SOP class. An instance is in the index only after its copy was fsync'd, renamed into place and
/// registered (the Store feature's order), so an indexed instance is durably stored. Asks the index through
/// <see cref="IIndexStore.QueryAsync"/> with UID lists, a few hundred instances per round trip.
/// </summary>
public sealed class CommitmentEvaluator(IIndexStore index)
{
    private const int Chunk = 500;

    public async Task<CommitmentResult> EvaluateAsync(CommitmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        var uids = request.Instances.Select(i => i.SopInstanceUid).Distinct(StringComparer.Ordinal).ToArray();
        for (var start = 0; start < uids.Length; start += Chunk)
        {
            var chunk = uids.AsSpan(start, Math.Min(Chunk, uids.Length - start)).ToArray();
            var identifier = new DicomDataset();
            identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, "IMAGE");
            identifier.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, chunk);
            identifier.AddOrUpdate(new DicomElement(DicomTag.SOPClassUID, DicomVR.UI, ReadOnlyMemory<byte>.Empty));
            var result = await index.QueryAsync(new IndexQuery { Level = QueryLevel.Image, Identifier = identifier, Limit = chunk.Length }, cancellationToken).ConfigureAwait(false);
            foreach (var match in result.Matches)
            {
                if (match.GetString(DicomTag.SOPInstanceUID) is { Length: > 0 } sop)
                {
                    stored[sop] = match.GetString(DicomTag.SOPClassUID) ?? string.Empty;
                }
            }
        }

        var committed = new List<ReferencedSop>();
        var failed = new List<CommitmentFailure>();
        foreach (var instance in request.Instances)
        {
            if (!stored.TryGetValue(instance.SopInstanceUid, out var sopClass))
            {
                failed.Add(new CommitmentFailure(instance, CommitmentStatus.NoSuchObjectInstance));
            }
            else if (!string.Equals(sopClass, instance.SopClassUid, StringComparison.Ordinal))
            {
                failed.Add(new CommitmentFailure(instance, CommitmentStatus.ClassInstanceConflict));
            }
            else
            {
                committed.Add(instance);
            }
        }

        return new CommitmentResult(request.TransactionUid, committed, failed);
    }
}
