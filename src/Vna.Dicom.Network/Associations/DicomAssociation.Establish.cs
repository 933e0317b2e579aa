using System.Net;

namespace Vna.Dicom.Network;

public sealed partial class DicomAssociation
{
    /// <summary>
    /// Acceptor side: on a connection just accepted (Sta2, ARTIM running) reads the A-ASSOCIATE-RQ, asks
    /// <paramref name="decide"/>, and answers with A-ASSOCIATE-AC (returns the established association, its read loop
    /// running) or A-ASSOCIATE-RJ (returns null once the peer has closed or ARTIM expired). Anything else than an
    /// A-ASSOCIATE-RQ first, or a malformed one, is answered with A-ABORT. The transport is closed whenever null is returned.
    /// </summary>
    internal static async Task<DicomAssociation?> AcceptAsync(
        Stream stream,
        IDisposable? transport,
        EndPoint? remoteEndPoint,
        DicomAssociationOptions options,
        Func<AssociateRequest, CancellationToken, ValueTask<AssociationDecision>> decide,
        Func<DicomAssociation, DimseMessage, CancellationToken, Task>? requestHandler,
        CancellationToken cancellationToken)
    {
        var association = new DicomAssociation(stream, transport, remoteEndPoint, isRequestor: false, AssociationState.Sta1, options, requestHandler);
        association._machine.Fire(AssociationEvent.Evt5);
        AssociateRequest request;
        try
        {
            using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, association._lifetime.Token);
            artim.CancelAfter(options.ArtimTimeout);
            var header = await association._reader.ReadHeaderAsync(artim.Token).AsTask().WaitAsync(options.ArtimTimeout, options.TimeProvider, cancellationToken)
                .ConfigureAwait(false);
            if (header is null)
            {
                association.CloseTransport();
                return null;
            }

            var (type, length) = header.Value;
            var body = await association._reader.ReadBodyOrFailAsync(type, length, artim.Token).ConfigureAwait(false);
            if (type != PduType.AssociateRequest)
            {
                var evt = type switch
                {
                    PduType.AssociateAccept => AssociationEvent.Evt3,
                    PduType.AssociateReject => AssociationEvent.Evt4,
                    PduType.DataTransfer => AssociationEvent.Evt10,
                    PduType.ReleaseRequest => AssociationEvent.Evt12,
                    PduType.ReleaseResponse => AssociationEvent.Evt13,
                    PduType.Abort => AssociationEvent.Evt16,
                    _ => AssociationEvent.Evt19,
                };
                if (association._machine.Fire(evt) == AssociationAction.AA2)
                {
                    association.CloseTransport();
                    return null;
                }

                throw new DicomNetworkException($"A {type} PDU where an A-ASSOCIATE-RQ was expected.", AbortReason.UnexpectedPdu);
            }

            request = PduCodec.DecodeAssociateRequest(body);
        }
        catch (DicomNetworkException ex)
        {
            // Sta2: an invalid PDU (Evt19) or one other than A-ASSOCIATE-RQ (Evt3, 4, 10, 12, 13) is AA-1 in PS3.8 Table 9-10:
            // A-ABORT with source "service-user" (the reason is then not significant and sent as 00H, PS3.8 9.3.8).
            association.LogProtocolError(ex.Message);
            association._machine.Fire(AssociationEvent.Evt19);
            await association.AbortCoreAsync(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), sendLockHeld: false, ex.Message).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // ARTIM expired (AA-2) or the connection went away before the request arrived.
            association.CloseTransport();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return null;
        }

        AssociationDecision decision;
        try
        {
            decision = (request.ProtocolVersion & 1) == 0
                ? AssociationDecision.Rejected(new AssociateReject(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceProviderAcse, AssociateReject.ProtocolVersionNotSupported))
                : string.Equals(request.ApplicationContext, AssociateRequest.DicomApplicationContext, StringComparison.Ordinal)
                ? await decide(request, cancellationToken).ConfigureAwait(false)
                : AssociationDecision.Rejected(new AssociateReject(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, AssociateReject.ApplicationContextNotSupported));
        }
        catch
        {
            association.CloseTransport();
            throw;
        }

        association._machine.Fire(AssociationEvent.Evt6, acceptable: decision.Accept is not null);
        try
        {
            if (decision.Accept is not { } accept)
            {
                association.Request = request;
                var reject = decision.Reject ?? AssociateReject.NoReason;
                await stream.WriteAsync(PduCodec.EncodeAssociateReject(reject), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                association._failure = new DicomAssociationRejectedException(reject);
                await association.AwaitCloseAsync().ConfigureAwait(false);
                return null;
            }

            association.SetEstablished(request, accept);
            foreach (var (key, value) in decision.Items)
            {
                association.Items[key] = value;
            }

            association._machine.Fire(AssociationEvent.Evt7);
            await stream.WriteAsync(PduCodec.EncodeAssociateAccept(accept), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            association.CloseTransport();
            return null;
        }

        association.StartWatchdog();
        _ = association.RunAsync();
        return association;
    }

    /// <summary>
    /// Requestor side: sends the A-ASSOCIATE-RQ on a connection just opened and waits (ARTIM) for the answer. Returns the
    /// established association with its read loop running; throws <see cref="DicomAssociationRejectedException"/> on
    /// A-ASSOCIATE-RJ and <see cref="DicomAssociationAbortedException"/> on an abort, a timeout or a malformed answer.
    /// </summary>
    internal static async Task<DicomAssociation> RequestAsync(
        Stream stream,
        IDisposable? transport,
        EndPoint? remoteEndPoint,
        AssociateRequest request,
        DicomAssociationOptions options,
        Func<DicomAssociation, DimseMessage, CancellationToken, Task>? requestHandler,
        CancellationToken cancellationToken)
    {
        var association = new DicomAssociation(stream, transport, remoteEndPoint, isRequestor: true, AssociationState.Sta1, options, requestHandler);
        association._machine.Fire(AssociationEvent.Evt1);
        association._machine.Fire(AssociationEvent.Evt2);
        association.Request = request;
        try
        {
            await stream.WriteAsync(PduCodec.EncodeAssociateRequest(request), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, association._lifetime.Token);
            var header = await association._reader.ReadHeaderAsync(artim.Token).AsTask().WaitAsync(options.ArtimTimeout, options.TimeProvider, cancellationToken)
                .ConfigureAwait(false)
                ?? throw new DicomAssociationAbortedException("The peer closed the connection instead of answering the A-ASSOCIATE-RQ.");
            var (type, length) = header;
            var body = await association._reader.ReadBodyOrFailAsync(type, length, artim.Token).ConfigureAwait(false);
            switch (type)
            {
                case PduType.AssociateAccept:
                    association._machine.Fire(AssociationEvent.Evt3);
                    association.SetEstablished(request, PduCodec.DecodeAssociateAccept(body));
                    association.StartWatchdog();
                    _ = association.RunAsync();
                    return association;
                case PduType.AssociateReject:
                    association._machine.Fire(AssociationEvent.Evt4);
                    var reject = PduCodec.DecodeAssociateReject(body);
                    association._failure = new DicomAssociationRejectedException(reject);
                    association.CloseTransport();
                    throw new DicomAssociationRejectedException(reject);
                case PduType.Abort:
                    association._machine.Fire(AssociationEvent.Evt16);
                    var abort = PduCodec.DecodeAbort(body);
                    association._failure = new DicomAssociationAbortedException($"The peer aborted the association request ({abort.Source}, {abort.Reason}).", abort);
                    association.CloseTransport();
                    throw association._failure;
                default:
                    throw new DicomNetworkException($"A {type} PDU in answer to the A-ASSOCIATE-RQ.", AbortReason.UnexpectedPdu);
            }
        }
        catch (DicomNetworkException ex)
        {
            association._machine.Fire(AssociationEvent.Evt19);
            await association.AbortCoreAsync(new Abort(AbortSource.ServiceProvider, ex.AbortReason), sendLockHeld: false, ex.Message).ConfigureAwait(false);
            throw new DicomAssociationAbortedException($"The association request failed: {ex.Message}", ex);
        }
        catch (TimeoutException ex)
        {
            await association.AbortCoreAsync(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), sendLockHeld: false, "no answer to the A-ASSOCIATE-RQ").ConfigureAwait(false);
            throw new DicomAssociationAbortedException("The peer did not answer the A-ASSOCIATE-RQ within the ARTIM timeout.", ex);
        }
        catch (Exception ex) when (ex is IOException && ex is not DicomAssociationAbortedException)
        {
            association.CloseTransport();
            throw new DicomAssociationAbortedException("The connection was lost during association negotiation.", ex);
        }
    }
}
