using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Cli.Store;

/// <summary>
/// The presentation contexts <c>vna store</c> proposes: for each SOP class, one context per transfer syntax its files are in
/// (so each goes out as it is), plus one with the uncompressed syntaxes not already proposed when some of its files are
/// uncompressed or deflated, or compressed in a syntax the codecs decode (the fallback: such a file can be re-encoded). At most 128 contexts fit an association, so files
/// are split into batches by SOP class, each batch one association.
/// </summary>
internal static class StorePlan
{
    public const int MaxContexts = 128;

    /// <summary>The files in batches whose contexts fit one association, in their original order within each batch.</summary>
    public static List<List<StoreFile>> Batches(IReadOnlyList<StoreFile> files, IInstanceTranscoder? transcoder = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var batches = new List<List<StoreFile>>();
        var classesOfBatch = new Dictionary<string, int>(StringComparer.Ordinal);
        var contextsOfBatch = new List<int>();
        foreach (var group in files.GroupBy(f => f.SopClassUid, StringComparer.Ordinal))
        {
            var needed = ContextsFor(group, transcoder).Count;
            var batch = contextsOfBatch.FindIndex(count => count + needed <= MaxContexts);
            if (batch < 0)
            {
                batches.Add([]);
                contextsOfBatch.Add(0);
                batch = batches.Count - 1;
            }

            contextsOfBatch[batch] += Math.Min(needed, MaxContexts);
            classesOfBatch[group.Key] = batch;
        }

        foreach (var file in files)
        {
            batches[classesOfBatch[file.SopClassUid]].Add(file);
        }

        return batches;
    }

    /// <summary>The contexts for <paramref name="files"/> (odd ids from 1), at most <see cref="MaxContexts"/>.</summary>
    public static List<PresentationContext> Contexts(IEnumerable<StoreFile> files, IInstanceTranscoder? transcoder = null)
    {
        var contexts = new List<PresentationContext>();
        foreach (var group in files.GroupBy(f => f.SopClassUid, StringComparer.Ordinal))
        {
            foreach (var (sopClass, syntaxes) in ContextsFor(group, transcoder))
            {
                if (contexts.Count == MaxContexts)
                {
                    return contexts;
                }

                contexts.Add(new PresentationContext((byte)((contexts.Count * 2) + 1), sopClass, syntaxes));
            }
        }

        return contexts;
    }

    /// <summary>
    /// True when a file in <paramref name="transferSyntaxUid"/> can be re-encoded in an uncompressed syntax here: it is
    /// uncompressed or deflated, or <paramref name="transcoder"/> decodes it.
    /// </summary>
    public static bool CanReencode(string transferSyntaxUid, IInstanceTranscoder? transcoder = null) =>
        !DicomTransferSyntax.Parse(transferSyntaxUid).IsEncapsulated
        || transcoder?.CanTranscode(transferSyntaxUid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid) == true;

    private static List<(string SopClass, string[] Syntaxes)> ContextsFor(IGrouping<string, StoreFile> files, IInstanceTranscoder? transcoder)
    {
        var own = files.Select(f => f.TransferSyntaxUid).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var contexts = own.Select(ts => (files.Key, new[] { ts })).ToList();
        if (files.Any(f => CanReencode(f.TransferSyntaxUid, transcoder)))
        {
            var fallback = TransferSyntaxes.Uncompressed.Except(own, StringComparer.Ordinal).ToArray();
            if (fallback.Length > 0)
            {
                contexts.Add((files.Key, fallback));
            }
        }

        return contexts;
    }
}
