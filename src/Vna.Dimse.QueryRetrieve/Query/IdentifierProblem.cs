using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>Why an identifier is refused: the status to answer with, an Error Comment (0000,0902) and the Offending Element (0000,0901) tags.</summary>
public sealed record IdentifierProblem(ushort Status, string ErrorComment, IReadOnlyList<DicomTag> OffendingElements)
{
    /// <summary>An identifier the model does not allow (0xA900).</summary>
    public static IdentifierProblem DoesNotMatch(string comment, params DicomTag[] offending) =>
        new(QueryRetrieveStatus.IdentifierDoesNotMatchSopClass, comment, offending);
}
