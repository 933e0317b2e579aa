namespace Vna.Dicom.Network;

/// <summary>
/// Decides on each A-ASSOCIATE-RQ a <see cref="DicomServer"/> receives: reject (calling or called AE title not recognized,
/// user identity refused...) or accept, usually by <see cref="AssociationNegotiation.Accept"/> (presentation contexts and
/// roles answered by the services).
/// </summary>
public interface IAssociationPolicy
{
    ValueTask<AssociationDecision> DecideAsync(AssociateRequest request, AssociationPeer peer, DimseServiceRegistry services, CancellationToken cancellationToken);
}
