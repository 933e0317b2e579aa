using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Chooses transfer syntaxes for retrieval. Towards a move destination it proposes, for each SOP class, one presentation
/// context per syntax: the syntaxes the instances are stored in first, then Explicit and Implicit VR Little Endian where
/// the transcoder can produce them. For each instance it picks the best context the peer accepted: the stored syntax
/// (sent byte for byte) when accepted, else the best syntax the transcoder can produce — native and lossless before
/// compressed, lossy last.
/// </summary>
public sealed class TransferSyntaxPlanner(IInstanceTranscoder transcoder)
{
    /// <summary>PS3.8: presentation context IDs are odd numbers 1–255, so at most 128 contexts per association.</summary>
    public const int MaxContexts = 128;

    private static readonly string[] s_uncompressed =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
    ];

    /// <summary>The contexts to propose for sending <paramref name="instances"/> (at most <see cref="MaxContexts"/>; stored syntaxes take precedence).</summary>
    public IReadOnlyList<ProposedContext> Propose(IEnumerable<StoredInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var stored = new List<ProposedContext>();
        var seen = new HashSet<ProposedContext>();
        foreach (var instance in instances)
        {
            var context = new ProposedContext(instance.Attributes.SopClassUid, instance.TransferSyntaxUid);
            if (seen.Add(context))
            {
                stored.Add(context);
            }
        }

        var extra = new List<ProposedContext>();
        foreach (var context in stored)
        {
            foreach (var uncompressed in s_uncompressed)
            {
                var candidate = context with { TransferSyntaxUid = uncompressed };
                if (!seen.Contains(candidate) && transcoder.CanTranscode(context.TransferSyntaxUid, uncompressed))
                {
                    seen.Add(candidate);
                    extra.Add(candidate);
                }
            }
        }

        return [.. stored.Concat(extra).Take(MaxContexts)];
    }

    /// <summary>The context to send <paramref name="instance"/> on, or null when the peer accepted nothing it can be sent in.</summary>
    public SendPlan? Choose(StoredInstance instance, IReadOnlyList<AcceptedContext> accepted)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(accepted);
        var sopClass = instance.Attributes.SopClassUid;
        AcceptedContext? best = null;
        var bestRank = int.MaxValue;
        foreach (var context in accepted)
        {
            if (!string.Equals(context.SopClassUid, sopClass, StringComparison.Ordinal))
            {
                continue;
            }

            if (string.Equals(context.TransferSyntaxUid, instance.TransferSyntaxUid, StringComparison.Ordinal))
            {
                return new SendPlan(context, Transcode: false);
            }

            if (!transcoder.CanTranscode(instance.TransferSyntaxUid, context.TransferSyntaxUid))
            {
                continue;
            }

            var rank = Rank(context.TransferSyntaxUid);
            if (rank < bestRank)
            {
                best = context;
                bestRank = rank;
            }
        }

        return best is null ? null : new SendPlan(best, Transcode: true);
    }

    /// <summary>Lower is better: native little endian, then other native syntaxes, then lossless compression, then lossy.</summary>
    private static int Rank(string transferSyntaxUid)
    {
        var index = Array.IndexOf(s_uncompressed, transferSyntaxUid);
        if (index >= 0)
        {
            return index;
        }

        var syntax = DicomTransferSyntax.Parse(transferSyntaxUid);
        return !syntax.IsKnown ? 100 : !syntax.IsEncapsulated ? 10 : syntax.IsLossy ? 50 : 20;
    }
}
