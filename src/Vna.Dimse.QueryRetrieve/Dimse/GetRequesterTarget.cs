using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>C-GET sub-operations: C-STOREs on the requester's own association, on the storage contexts it may act as SCP for.</summary>
internal sealed class GetRequesterTarget(DicomAssociation association) : IStorageSubOperationTarget
{
    public IReadOnlyList<AcceptedContext> AcceptedContexts { get; } =
    [
        .. association.PresentationContexts
            .Where(pc => pc.IsAccepted && association.Roles.Any(r => r.ScpRole && string.Equals(r.SopClassUid, pc.AbstractSyntax, StringComparison.Ordinal)))
            .Select(pc => new AcceptedContext(pc.Id, pc.AbstractSyntax, pc.TransferSyntax!)),
    ];

    public async Task<ushort> StoreAsync(AcceptedContext context, string sopClassUid, string sopInstanceUid, Stream dataset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = await association.StoreAsync(sopClassUid, sopInstanceUid, context.TransferSyntaxUid, DimseOutgoingData.FromStream(dataset), cancellationToken).ConfigureAwait(false);
        return response.Status;
    }
}
