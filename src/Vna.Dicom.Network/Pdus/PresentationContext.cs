namespace Vna.Dicom.Network;

/// <summary>A presentation context proposed in an A-ASSOCIATE-RQ: an odd id, an abstract syntax and the transfer syntaxes offered for it.</summary>
public sealed record PresentationContext(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);
