namespace Vna.Dicom.Network;

/// <summary>Builds the A-ASSOCIATE-AC for a request the policy accepts.</summary>
public static class AssociationNegotiation
{
    /// <summary>
    /// An accept: presentation contexts and role selections answered by <paramref name="services"/>, this side's maximum PDU
    /// length, the asynchronous operations window answered 1/1 when proposed (operations are performed one at a time), and
    /// a positive user identity response when one was requested.
    /// </summary>
    public static AssociationDecision Accept(
        AssociateRequest request, DimseServiceRegistry services, uint maxPduLength, IReadOnlyDictionary<string, object?>? items = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var contexts = services.Negotiate(request);
        var accept = new AssociateAccept
        {
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
            PresentationContexts = contexts,
            MaxPduLength = maxPduLength,
            AsyncOperations = request.AsyncOperations is null ? null : new AsyncOperationsWindow(1, 1),
            RoleSelections = services.NegotiateRoles(request, contexts),
            UserIdentityResponse = request.UserIdentity is { PositiveResponseRequested: true } ? [] : null,
        };
        return new AssociationDecision { Accept = accept, Items = items ?? new Dictionary<string, object?>() };
    }
}
