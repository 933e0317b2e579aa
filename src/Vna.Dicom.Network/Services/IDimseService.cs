namespace Vna.Dicom.Network;

/// <summary>
/// THE EXTENSION POINT of the network toolkit: one DIMSE service (Verification, Storage, Query/Retrieve, Storage Commitment...)
/// that plugs into a <see cref="DicomServer"/> (or into an SCU association, e.g. the Storage SCP role of a C-GET requestor)
/// through a <see cref="DimseServiceRegistry"/>.
/// <list type="bullet">
/// <item>Negotiation: for each presentation context proposed, the registry asks the services in order; the first whose
/// <see cref="SelectTransferSyntax"/> returns a syntax accepts the context with it. Role selection items (PS3.7 D.3.3.4) go
/// to <see cref="SelectRoles"/> the same way (C-GET: a Query/Retrieve service accepts the SCP role for the storage classes).</item>
/// <item>Dispatch: each request received is given to the first service whose <see cref="CanHandle"/> is true for its command
/// field and the presentation context's abstract syntax. The service answers with
/// <see cref="DicomAssociation.SendResponseAsync"/> (any number of pending responses, then a final one), may send requests
/// of its own on the same association (<see cref="DicomAssociation.RequestAsync"/>: N-EVENT-REPORT, C-STORE sub-operations),
/// and may open new associations with <see cref="DicomClient"/>.</item>
/// <item>Data: a request's data set arrives as <see cref="DimseMessage.Data"/>, a stream read from the network as the handler
/// reads it; the association reads nothing else until that stream is consumed or the handler returns (the rest is then
/// discarded), so read it first. Handlers run concurrently with the association's reading otherwise (a C-CANCEL cancels the
/// <paramref name="cancellationToken"/> of <see cref="HandleAsync"/>).</item>
/// <item>Failure: an exception from <see cref="HandleAsync"/> aborts the association (A-ABORT); answer refusals with a
/// failure status instead.</item>
/// </list>
/// </summary>
public interface IDimseService
{
    /// <summary>The transfer syntax to accept for <paramref name="abstractSyntax"/> out of <paramref name="proposed"/> (in the requestor's order), or null when this service does not serve it.</summary>
    string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed);

    /// <summary>The roles accepted for a role selection item the requestor proposed, or null to leave it to other services (default roles then).</summary>
    RoleSelection? SelectRoles(AssociateRequest request, RoleSelection proposed) => null;

    /// <summary>True when this service handles requests of <paramref name="commandField"/> on a context of <paramref name="abstractSyntax"/>.</summary>
    bool CanHandle(DimseCommandField commandField, string abstractSyntax);

    /// <summary>Handles one request; must send the final response (or throw, which aborts the association).</summary>
    Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken);
}
