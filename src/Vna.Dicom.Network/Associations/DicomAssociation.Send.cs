using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Vna.Dicom.Network;

public sealed partial class DicomAssociation
{
    /// <summary>
    /// Sends one DIMSE message (command, then the data set when <paramref name="data"/> is given) on presentation context
    /// <paramref name="contextId"/>. Messages are sent whole, one at a time. <paramref name="cancellationToken"/> is honoured
    /// until the first byte is written; cancelled or failed after that, the association is aborted (a message is never left
    /// cut in half) and the exception propagates.
    /// </summary>
    public async Task SendMessageAsync(byte contextId, DimseCommand command, DimseOutgoingData? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var context = GetPresentationContext(contextId)
            ?? throw new ArgumentException($"Presentation context {contextId} was not accepted on this association.", nameof(contextId));
        command.HasDataSet = data is not null;
        var encoded = command.Encode();

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = false;
        try
        {
            ObjectDisposedException.ThrowIf(_closing != 0, this);
            var action = _machine.Fire(AssociationEvent.Evt9);
            if (action is not (AssociationAction.DT1 or AssociationAction.AR7))
            {
                throw new InvalidOperationException($"No message can be sent in state {_machine.State}.");
            }

            Interlocked.Exchange(ref _sendingSince, _time.GetTimestamp());
            started = true;
            using (var commandStream = new PDataWriteStream(_stream, contextId, true, PeerMaxPduLength, BeforeWrite, _lifetime.Token))
            {
                await commandStream.WriteAsync(encoded, cancellationToken).ConfigureAwait(false);
                await commandStream.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (data is not null)
            {
                using var dataStream = new PDataWriteStream(_stream, contextId, false, PeerMaxPduLength, BeforeWrite, _lifetime.Token);
                await data.WriteToAsync(dataStream, DicomTransferSyntax.Parse(context.TransferSyntax!), cancellationToken).ConfigureAwait(false);
                await dataStream.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await _stream.FlushAsync(_lifetime.Token).ConfigureAwait(false);
            MessagesSent++;
        }
        catch (Exception ex) when (started && ex is not ObjectDisposedException)
        {
            // Part of the message may be on the wire: the association cannot go on.
            await AbortCoreAsync(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), sendLockHeld: true, $"sending {command.CommandField} failed part-way ({ex.GetType().Name})")
                .ConfigureAwait(false);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw ex as DicomAssociationAbortedException ?? new DicomAssociationAbortedException($"Sending {command.CommandField} failed; the association was aborted.", ex);
        }
        finally
        {
            Interlocked.Exchange(ref _sendingSince, 0);
            _sendLock.Release();
        }
    }

    /// <summary>Sends a response to <paramref name="request"/> on the context it came on.</summary>
    public Task SendResponseAsync(DimseMessage request, DimseCommand response, DimseOutgoingData? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendMessageAsync(request.PresentationContextId, response, data, cancellationToken);
    }

    /// <summary>
    /// Sends a request and yields its responses as they arrive: pending ones (C-FIND matches, C-MOVE/C-GET progress), then
    /// the final one, after which the sequence ends. A message id is assigned when <see cref="DimseCommand.MessageId"/> is 0.
    /// Works in both roles (an SCP sends N-EVENT-REPORT or C-STORE sub-operations this way). A response not arriving within
    /// the operation timeout aborts the association.
    /// </summary>
    public async IAsyncEnumerable<DimseMessage> RequestAsync(
        byte contextId, DimseCommand request, DimseOutgoingData? data, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MessageId == 0)
        {
            request.MessageId = NextMessageId();
        }

        var responses = Channel.CreateUnbounded<DimseMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        if (!_pending.TryAdd(request.MessageId, responses))
        {
            throw new InvalidOperationException($"Message id {request.MessageId} is already outstanding.");
        }

        try
        {
            await SendMessageAsync(contextId, request, data, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var response = await NextResponseAsync(responses.Reader, cancellationToken).ConfigureAwait(false);
                yield return response;
                if (!DimseStatus.IsPending(response.Command.Status))
                {
                    yield break;
                }
            }
        }
        finally
        {
            _pending.TryRemove(request.MessageId, out _);
        }
    }

    /// <summary>Sends a request and returns its final response (pending responses are skipped).</summary>
    public async Task<DimseMessage> SendRequestAsync(byte contextId, DimseCommand request, DimseOutgoingData? data, CancellationToken cancellationToken)
    {
        DimseMessage? last = null;
        await foreach (var response in RequestAsync(contextId, request, data, cancellationToken).ConfigureAwait(false))
        {
            last = response;
        }

        return last ?? throw new DicomAssociationAbortedException("No response was received.");
    }

    /// <summary>Sends C-CANCEL-RQ for the request <paramref name="messageId"/> (C-FIND, C-MOVE, C-GET).</summary>
    public Task SendCancelAsync(byte contextId, ushort messageId, CancellationToken cancellationToken)
    {
        var cancel = new DimseCommand(DimseCommandField.CCancelRequest) { MessageIdBeingRespondedTo = messageId };
        return SendMessageAsync(contextId, cancel, null, cancellationToken);
    }

    /// <summary>
    /// Releases the association (A-RELEASE-RQ, then the peer's A-RELEASE-RP; release collisions handled as PS3.8 says) and
    /// closes it. Falls back to an abort when the peer does not answer within the operation timeout.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_closing != 0)
        {
            return;
        }

        var confirmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_machine.Fire(AssociationEvent.Evt11) != AssociationAction.AR1)
            {
                throw new InvalidOperationException($"The association cannot be released in state {_machine.State}.");
            }

            _releaseConfirmed = confirmed;
            await _stream.WriteAsync(PduCodec.EncodeReleaseRequest(), _lifetime.Token).ConfigureAwait(false);
            await _stream.FlushAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            _failure ??= new DicomAssociationAbortedException("The connection was lost while releasing.", ex);
            CloseTransport();
            throw _failure;
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            await confirmed.Task.WaitAsync(_options.OperationTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await AbortCoreAsync(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), sendLockHeld: false, "the peer did not answer the release").ConfigureAwait(false);
            throw new DicomAssociationAbortedException("The peer did not answer the A-RELEASE-RQ; the association was aborted.");
        }

        await Completion.ConfigureAwait(false);
    }

    private async ValueTask<DimseMessage> NextResponseAsync(ChannelReader<DimseMessage> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw ex.InnerException as DicomAssociationAbortedException ?? new DicomAssociationAbortedException("The association ended before the response arrived.", ex);
        }
    }

    private ValueTask BeforeWrite(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_closing != 0)
        {
            throw _failure as DicomAssociationAbortedException ?? new DicomAssociationAbortedException("The association has ended.");
        }

        return ValueTask.CompletedTask;
    }
}
