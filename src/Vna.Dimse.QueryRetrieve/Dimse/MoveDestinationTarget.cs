using Vna.Core;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>C-MOVE sub-operations: an association to the move destination, released when disposed.</summary>
internal sealed class MoveDestinationTarget : IStorageSubOperationTarget, IAsyncDisposable
{
    private readonly DicomAssociation _association;
    private readonly string _originatorAeTitle;
    private readonly ushort _originatorMessageId;

    private MoveDestinationTarget(DicomAssociation association, string originatorAeTitle, ushort originatorMessageId)
    {
        _association = association;
        _originatorAeTitle = originatorAeTitle;
        _originatorMessageId = originatorMessageId;
        AcceptedContexts =
        [
            .. association.PresentationContexts.Where(pc => pc.IsAccepted).Select(pc => new AcceptedContext(pc.Id, pc.AbstractSyntax, pc.TransferSyntax!)),
        ];
    }

    public IReadOnlyList<AcceptedContext> AcceptedContexts { get; }

    public static async Task<MoveDestinationTarget> ConnectAsync(
        MoveDestinationOptions destination,
        string callingAeTitle,
        IReadOnlyList<ProposedContext> proposals,
        string originatorAeTitle,
        ushort originatorMessageId,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var contexts = proposals.Select((p, i) => new PresentationContext((byte)((i * 2) + 1), p.SopClassUid, [p.TransferSyntaxUid])).ToArray();
        var request = new AssociateRequest
        {
            CalledAeTitle = destination.AeTitle.Trim(),
            CallingAeTitle = callingAeTitle,
            PresentationContexts = contexts,
        };
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(timeout);
        var association = await DicomClient.ConnectAsync(
            new DicomClientOptions { Host = destination.Host, Port = destination.Port, UseTls = destination.UseTls, ConnectTimeout = timeout },
            request,
            connect.Token).ConfigureAwait(false);
        return new MoveDestinationTarget(association, originatorAeTitle, originatorMessageId);
    }

    public async Task<ushort> StoreAsync(AcceptedContext context, string sopClassUid, string sopInstanceUid, Stream dataset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = await _association.StoreAsync(
            sopClassUid, sopInstanceUid, context.TransferSyntaxUid, DimseOutgoingData.FromStream(dataset), cancellationToken, _originatorAeTitle, _originatorMessageId).ConfigureAwait(false);
        return response.Status;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _association.ReleaseAsync(release.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomAssociationAbortedException or InvalidOperationException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The destination went away: nothing to release.
        }

        await _association.DisposeAsync().ConfigureAwait(false);
    }
}
