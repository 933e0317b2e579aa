namespace Vna.Dicom.Network;

/// <summary>
/// A presentation context as answered in an A-ASSOCIATE-AC: its result and, when accepted, the one transfer syntax chosen.
/// <see cref="AbstractSyntax"/> is not on the wire in an AC; it is filled in from the request it answers.
/// </summary>
public sealed record PresentationContextAnswer(byte Id, PresentationContextResult Result, string? TransferSyntax, string AbstractSyntax = "")
{
    public bool IsAccepted => Result == PresentationContextResult.Acceptance && TransferSyntax is not null;
}
