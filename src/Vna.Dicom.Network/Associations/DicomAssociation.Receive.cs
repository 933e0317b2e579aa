using Microsoft.Extensions.Logging;

namespace Vna.Dicom.Network;

public sealed partial class DicomAssociation
{
    /// <summary>Command fragments of the message being received.</summary>
    private readonly MemoryStream _command = new();

    /// <summary>The data set of the request being received (streamed to its handler).</summary>
    private DimseDataStream? _incoming;

    /// <summary>True when the PDV whose data is being read is the data set's last fragment.</summary>
    private bool _dataPdvIsLast;

    /// <summary>The read loop of an established association: until release, abort or the connection's end.</summary>
    private async Task RunAsync()
    {
        var token = _lifetime.Token;
        try
        {
            while (true)
            {
                var pdv = await NextPdvAsync(token).ConfigureAwait(false);
                if (pdv is null)
                {
                    return;
                }

                await OnPdvAsync(pdv.Value, token).ConfigureAwait(false);
            }
        }
        catch (DicomNetworkException ex)
        {
            LogProtocolError(ex.Message);
            _machine.Fire(AssociationEvent.Evt19);
            await AbortCoreAsync(new Abort(AbortSource.ServiceProvider, ex.AbortReason), sendLockHeld: false, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection was lost, or the association was closed under the loop.
            _failure ??= new DicomAssociationAbortedException("The connection was lost.", ex);
            CloseTransport();
        }
        finally
        {
            if (_closing == 0)
            {
                CloseTransport();
            }
        }
    }

    /// <summary>
    /// The next PDV of a P-DATA-TF, after handling any control PDUs before it (release, abort). Null when the association
    /// has ended (released, aborted by the peer, connection closed).
    /// </summary>
    private async ValueTask<(byte ContextId, bool IsCommand, bool IsLast, int Length)?> NextPdvAsync(CancellationToken cancellationToken)
    {
        while (!_reader.InDataPdu)
        {
            var header = await _reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());
            if (header is null)
            {
                // The peer closed the connection between PDUs.
                if (_machine.State != AssociationState.Sta13)
                {
                    _failure ??= new DicomAssociationAbortedException("The peer closed the connection without releasing the association.");
                }

                CloseTransport();
                return null;
            }

            var (type, length) = header.Value;
            LogPdu(type, length);
            if (type == PduType.DataTransfer)
            {
                var action = _machine.Fire(AssociationEvent.Evt10);
                if (action is not (AssociationAction.DT2 or AssociationAction.AR6))
                {
                    throw new DicomNetworkException($"A P-DATA-TF PDU in state {_machine.State}.", AbortReason.UnexpectedPdu);
                }

                break;
            }

            var body = await _reader.ReadBodyAsync(length, cancellationToken).ConfigureAwait(false);
            if (!await OnControlPduAsync(type, body).ConfigureAwait(false))
            {
                return null;
            }
        }

        var pdv = await _reader.ReadPdvHeaderAsync(cancellationToken).ConfigureAwait(false);
        LogPdv(pdv.ContextId, pdv.IsCommand, pdv.IsLast, pdv.Length);
        return pdv;
    }

    /// <summary>Handles a PDU other than P-DATA-TF; false when the association has ended.</summary>
    private async ValueTask<bool> OnControlPduAsync(PduType type, byte[] body)
    {
        switch (type)
        {
            case PduType.ReleaseRequest:
                {
                    if (_receivingMessage)
                    {
                        throw new DicomNetworkException("An A-RELEASE-RQ in the middle of a DIMSE message.", AbortReason.UnexpectedPdu);
                    }

                    var action = _machine.Fire(AssociationEvent.Evt12, isRequestor: IsRequestor);
                    switch (action)
                    {
                        case AssociationAction.AR2:
                            // Let requests being handled send their responses first (bounded by the ARTIM timeout).
                            await WaitForHandlersAsync().ConfigureAwait(false);
                            await SendReleaseResponseAsync().ConfigureAwait(false);
                            WasReleased = true;
                            await AwaitCloseAsync().ConfigureAwait(false);
                            return false;
                        case AssociationAction.AR8 when IsRequestor:
                            // Release collision, requestor side (Sta9): answer at once, then wait for the acceptor's answer (Sta11).
                            await SendReleaseResponseAsync().ConfigureAwait(false);
                            return true;
                        case AssociationAction.AR8:
                            // Release collision, acceptor side (Sta10): wait for the requestor's A-RELEASE-RP first.
                            return true;
                        default:
                            throw new DicomNetworkException($"An A-RELEASE-RQ in state {_machine.State}.", AbortReason.UnexpectedPdu);
                    }
                }

            case PduType.ReleaseResponse:
                {
                    var action = _machine.Fire(AssociationEvent.Evt13);
                    switch (action)
                    {
                        case AssociationAction.AR3:
                            WasReleased = true;
                            _releaseConfirmed?.TrySetResult();
                            CloseTransport();
                            return false;
                        case AssociationAction.AR10:
                            // Collision, acceptor side (Sta12): now answer the requestor's release, then close.
                            await SendReleaseResponseAsync().ConfigureAwait(false);
                            WasReleased = true;
                            _releaseConfirmed?.TrySetResult();
                            await AwaitCloseAsync().ConfigureAwait(false);
                            return false;
                        default:
                            throw new DicomNetworkException($"An A-RELEASE-RP in state {_machine.State}.", AbortReason.UnexpectedPdu);
                    }
                }

            case PduType.Abort:
                {
                    var abort = PduCodec.DecodeAbort(body);
                    _machine.Fire(AssociationEvent.Evt16);
                    _failure ??= new DicomAssociationAbortedException($"The peer aborted the association ({abort.Source}, {abort.Reason}).", abort);
                    CloseTransport();
                    return false;
                }

            case PduType.AssociateRequest:
                _machine.Fire(AssociationEvent.Evt6);
                throw new DicomNetworkException("An A-ASSOCIATE-RQ on an established association.", AbortReason.UnexpectedPdu);
            case PduType.AssociateAccept:
                _machine.Fire(AssociationEvent.Evt3);
                throw new DicomNetworkException("An A-ASSOCIATE-AC on an established association.", AbortReason.UnexpectedPdu);
            case PduType.AssociateReject:
                _machine.Fire(AssociationEvent.Evt4);
                throw new DicomNetworkException("An A-ASSOCIATE-RJ on an established association.", AbortReason.UnexpectedPdu);
            default:
                throw new DicomNetworkException($"Unrecognized PDU {type}.", AbortReason.UnrecognizedPdu);
        }
    }

    /// <summary>One PDV of the read loop: command fragments are gathered (bounded), a data set goes to its request's handler.</summary>
    private async Task OnPdvAsync((byte ContextId, bool IsCommand, bool IsLast, int Length) pdv, CancellationToken cancellationToken)
    {
        if (!pdv.IsCommand)
        {
            throw new DicomNetworkException("A data fragment with no command before it.", AbortReason.UnexpectedPduParameter);
        }

        if (_command.Length + pdv.Length > DimseCommand.MaxEncodedLength)
        {
            throw new DicomNetworkException($"A command set longer than {DimseCommand.MaxEncodedLength} bytes.", AbortReason.InvalidPduParameterValue);
        }

        _receivingMessage = true;
        var start = (int)_command.Length;
        _command.SetLength(start + pdv.Length);
        var buffer = _command.GetBuffer();
        var read = 0;
        while (read < pdv.Length)
        {
            read += await _reader.ReadPdvDataAsync(buffer.AsMemory(start + read, pdv.Length - read), cancellationToken).ConfigureAwait(false);
        }

        if (!pdv.IsLast)
        {
            return;
        }

        var command = DimseCommand.Decode(buffer.AsSpan(0, (int)_command.Length));
        _command.SetLength(0);
        var context = GetPresentationContext(pdv.ContextId)
            ?? throw new DicomNetworkException($"A message on presentation context {pdv.ContextId}, which was not accepted.", AbortReason.UnexpectedPduParameter);
        MessagesReceived++;

        if (command.IsResponse)
        {
            var data = command.HasDataSet ? await ReadResponseDataAsync(pdv.ContextId, cancellationToken).ConfigureAwait(false) : null;
            _receivingMessage = false;
            var message = new DimseMessage(command, context, data);
            if (!_pending.TryGetValue(command.MessageIdBeingRespondedTo, out var waiting) || !waiting.Writer.TryWrite(message))
            {
                // A response to nothing asked: tolerated and dropped (the peer may answer a request we gave up on).
                LogProtocolError($"a response to message {command.MessageIdBeingRespondedTo}, which is not outstanding; ignored");
            }

            return;
        }

        if (command.CommandField == DimseCommandField.CCancelRequest)
        {
            _receivingMessage = false;
            if (_running.TryGetValue(command.MessageIdBeingRespondedTo, out var target))
            {
                target.Cancel();
            }

            return;
        }

        await DispatchRequestAsync(command, context, cancellationToken).ConfigureAwait(false);
    }

    private async Task DispatchRequestAsync(DimseCommand command, PresentationContextAnswer context, CancellationToken cancellationToken)
    {
        _dataPdvIsLast = false;
        var incoming = command.HasDataSet ? new DimseDataStream(this, context.Id) : null;
        _incoming = incoming;
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var running = new RunningRequest(cancellation);
        _running[command.MessageId] = running;
        var message = new DimseMessage(command, context, incoming);
        running.Handler = HandleRequestAsync(message, running, cancellation);
        if (incoming is not null)
        {
            // Read nothing else until the handler has consumed the data set or returned (then the rest is discarded).
            await Task.WhenAny(incoming.Consumed, running.Handler).ConfigureAwait(false);
            if (!incoming.IsComplete)
            {
                await incoming.DrainAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _incoming = null;
        _receivingMessage = false;
    }

    private async Task HandleRequestAsync(DimseMessage message, RunningRequest running, CancellationTokenSource cancellation)
    {
        // Off the read loop's stack: the loop goes on to wait for the data set to be consumed.
        await Task.Yield();
        try
        {
            if (_requestHandler is null)
            {
                await SendResponseAsync(message, DimseCommand.ResponseTo(message.Command, DimseStatus.UnrecognizedOperation), null, running.Token).ConfigureAwait(false);
            }
            else
            {
                await _requestHandler(this, message, running.Token).ConfigureAwait(false);
            }
        }
        catch (Exception) when (_closing != 0)
        {
            // The association ended under the handler: nothing to answer.
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, ex.GetType().Name);
            await AbortCoreAsync(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), sendLockHeld: false, $"the handler of {message.Command.CommandField} failed").ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<ushort, RunningRequest>(message.Command.MessageId, running));
            cancellation.Dispose();
        }
    }

    /// <summary>A response's data set, read whole (bounded by <see cref="DicomAssociationOptions.MaxResponseDataLength"/>).</summary>
    private async Task<MemoryStream> ReadResponseDataAsync(byte contextId, CancellationToken cancellationToken)
    {
        _dataPdvIsLast = false;
        var data = new DimseDataStream(this, contextId);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = await data.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            if (buffer.Length + n > _options.MaxResponseDataLength)
            {
                throw new DicomNetworkException($"A response data set longer than {_options.MaxResponseDataLength} bytes.", AbortReason.InvalidPduParameterValue);
            }

            buffer.Write(chunk, 0, n);
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>
    /// Reads data-set bytes of the message on <paramref name="contextId"/>: from the current PDV, else from the next one
    /// (crossing PDUs). 0 after the last fragment. Called by <see cref="DimseDataStream"/> only, never concurrently with the loop.
    /// </summary>
    internal async ValueTask<(int Read, bool Last)> ReadDataAsync(byte contextId, Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_reader.PdvRemaining > 0)
            {
                var n = await _reader.ReadPdvDataAsync(destination, cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());
                return (n, _dataPdvIsLast && _reader.PdvRemaining == 0);
            }

            if (_dataPdvIsLast)
            {
                return (0, true);
            }

            var pdv = await NextPdvAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new DicomAssociationAbortedException("The association ended in the middle of a data set.");
            if (pdv.IsCommand || pdv.ContextId != contextId)
            {
                throw new DicomNetworkException(
                    $"A {(pdv.IsCommand ? "command" : "data")} fragment on context {pdv.ContextId} inside a data set on context {contextId}.",
                    AbortReason.UnexpectedPduParameter);
            }

            _dataPdvIsLast = pdv.IsLast;
        }
    }

    /// <summary>A protocol error met while a handler was reading a data set: abort, and tell the handler its input broke.</summary>
    internal async Task<Exception> FailDataAsync(Exception error)
    {
        if (error is DicomNetworkException protocol)
        {
            LogProtocolError(protocol.Message);
            _machine.Fire(AssociationEvent.Evt19);
            await AbortCoreAsync(new Abort(AbortSource.ServiceProvider, protocol.AbortReason), sendLockHeld: false, protocol.Message).ConfigureAwait(false);
            return new DicomAssociationAbortedException($"The data set could not be received: {protocol.Message}", protocol);
        }

        return error;
    }

    private async Task WaitForHandlersAsync()
    {
        var handlers = _running.Values.Select(r => r.Handler).ToArray();
        if (handlers.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(handlers).WaitAsync(_options.ArtimTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var running in _running.Values)
            {
                running.Cancel();
            }
        }
    }

    private async Task SendReleaseResponseAsync()
    {
        await _sendLock.WaitAsync(_lifetime.Token).ConfigureAwait(false);
        try
        {
            _machine.Fire(AssociationEvent.Evt14);
            await _stream.WriteAsync(PduCodec.EncodeReleaseResponse(), _lifetime.Token).ConfigureAwait(false);
            await _stream.FlushAsync(_lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sta13: waits (ARTIM) for the peer to close the connection, then closes it.</summary>
    private async Task AwaitCloseAsync()
    {
        try
        {
            var header = await _reader.ReadHeaderAsync(_lifetime.Token).AsTask().WaitAsync(_options.ArtimTimeout, _time).ConfigureAwait(false);
            _ = header;
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or DicomNetworkException or OperationCanceledException or ObjectDisposedException)
        {
        }

        CloseTransport();
    }
}
