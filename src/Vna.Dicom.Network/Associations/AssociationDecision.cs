namespace Vna.Dicom.Network;

/// <summary>What an acceptor answers to an A-ASSOCIATE-RQ: an accept (with the values a service wants to keep on the association, e.g. the caller's department) or a reject.</summary>
public sealed record AssociationDecision
{
    public AssociateAccept? Accept { get; init; }

    public AssociateReject? Reject { get; init; }

    /// <summary>Copied into <see cref="DicomAssociation.Items"/> when accepted.</summary>
    public IReadOnlyDictionary<string, object?> Items { get; init; } = new Dictionary<string, object?>();

    public static AssociationDecision Rejected(AssociateReject reject) => new() { Reject = reject };
}
