using Vna.Core;
using Vna.Web.Http;

namespace Vna.Web.Wado;

/// <summary>
/// Chooses the transfer syntax of a WADO-RS retrieval of whole instances from the Accept header
/// (<c>multipart/related; type="application/dicom"; transfer-syntax=…</c>, PS3.18 8.7.3): an explicit UID must be the stored
/// syntax or one the <see cref="IInstanceTranscoder"/> can produce from it; <c>*</c> serves what is stored; no parameter
/// means Explicit VR Little Endian (PS3.18 Table 8.7.3-2). The first acceptable type (by quality) that can serve every
/// instance wins; none is a 406.
/// </summary>
internal static class RetrieveNegotiation
{
    /// <summary>The chosen syntax ("*" for as stored), or null when nothing acceptable can be served.</summary>
    public static string? Choose(IReadOnlyList<AcceptedType> accepted, IReadOnlyList<StoredInstance> instances, IInstanceTranscoder transcoder, out string? problem)
    {
        problem = null;
        var candidates = accepted.Count == 0
            ? [new AcceptedType(DicomWebMediaTypes.MultipartRelated, DicomWebMediaTypes.Dicom, null, 1)]
            : accepted.Where(IsDicom).ToArray();
        if (candidates.Length == 0)
        {
            problem = "Instances are retrieved as multipart/related; type=\"application/dicom\".";
            return null;
        }

        foreach (var candidate in candidates)
        {
            var syntax = candidate.TransferSyntax ?? DicomWebMediaTypes.ExplicitVrLittleEndian;
            if (syntax == "*" || instances.All(i => CanServe(i.TransferSyntaxUid, syntax, transcoder)))
            {
                return syntax;
            }
        }

        var stored = string.Join(", ", instances.Select(i => i.TransferSyntaxUid).Distinct(StringComparer.Ordinal));
        var asked = string.Join(", ", candidates.Select(c => c.TransferSyntax ?? DicomWebMediaTypes.ExplicitVrLittleEndian).Distinct(StringComparer.Ordinal));
        problem = $"The data is stored as {stored} and cannot be served as {asked} (ask with transfer-syntax=* for the stored syntax).";
        return null;
    }

    public static bool CanServe(string stored, string wanted, IInstanceTranscoder transcoder) =>
        wanted == "*" || string.Equals(stored, wanted, StringComparison.Ordinal) || transcoder.CanTranscode(stored, wanted);

    private static bool IsDicom(AcceptedType accepted) =>
        accepted.MediaType is "*/*"
        || (accepted.IsMultipart && (accepted.PartType is null or "*/*"
            || accepted.PartType.Equals(DicomWebMediaTypes.Dicom, StringComparison.OrdinalIgnoreCase)))
        || accepted.MediaType.Equals(DicomWebMediaTypes.Dicom, StringComparison.OrdinalIgnoreCase);
}
