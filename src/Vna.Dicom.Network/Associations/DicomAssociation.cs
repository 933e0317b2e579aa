using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Vna.Dicom.Network;

/// <summary>
/// One DICOM association, in either role (the same engine serves the SCP listener and the SCU client), driven by the
/// PS3.8 state machine (<see cref="AssociationStateMachine"/>). Once established it reads PDUs in a loop: requests go to
/// the request handler (an <see cref="IDimseService"/> registry) with their data set streamed; responses go to the
/// <see cref="RequestAsync"/> call waiting for them; C-CANCEL cancels the request it names; A-RELEASE (collisions
/// included) and A-ABORT end it. Messages are sent whole under one send lock; a send cancelled or failed part-way aborts
/// the association, so a DIMSE message is never left cut in half on the wire.
/// </summary>
public sealed partial class DicomAssociation : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly IDisposable? _transport;
    private readonly DicomAssociationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AssociationStateMachine _machine;
    private readonly PduReader _reader;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<ushort, Channel<DimseMessage>> _pending = new();
    private readonly ConcurrentDictionary<ushort, RunningRequest> _running = new();
    private readonly Func<DicomAssociation, DimseMessage, CancellationToken, Task>? _requestHandler;
    private Dictionary<byte, PresentationContextAnswer> _contexts = [];
    private int _nextMessageId;
    private int _closing;
    private ITimer? _watchdog;
    private long _lastReceived;
    private long _sendingSince;
    private bool _receivingMessage;
    private TaskCompletionSource? _releaseConfirmed;
    private Exception? _failure;

    private DicomAssociation(
        Stream stream,
        IDisposable? transport,
        EndPoint? remoteEndPoint,
        bool isRequestor,
        AssociationState initial,
        DicomAssociationOptions options,
        Func<DicomAssociation, DimseMessage, CancellationToken, Task>? requestHandler)
    {
        _stream = stream;
        _transport = transport;
        RemoteEndPoint = remoteEndPoint;
        IsRequestor = isRequestor;
        _options = options;
        _time = options.TimeProvider;
        _logger = options.Logger;
        _machine = new AssociationStateMachine(initial);
        _reader = new PduReader(stream, options.MaxPduLength);
        _requestHandler = requestHandler;
        _lastReceived = _time.GetTimestamp();
    }

    /// <summary>The A-ASSOCIATE-RQ (sent or received).</summary>
    public AssociateRequest Request { get; private set; } = null!;

    /// <summary>The A-ASSOCIATE-AC (sent or received).</summary>
    public AssociateAccept Accept { get; private set; } = null!;

    /// <summary>True on the side that requested the association (the SCU client).</summary>
    public bool IsRequestor { get; }

    public EndPoint? RemoteEndPoint { get; }

    public AssociationState State => _machine.State;

    public string CallingAeTitle => Request.CallingAeTitle;

    public string CalledAeTitle => Request.CalledAeTitle;

    /// <summary>Values a policy or service keeps for the association's lifetime (the caller's department, the user identity...).</summary>
    public ConcurrentDictionary<string, object?> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>The largest P-DATA-TF PDU the peer receives (what this side sends is cut to it).</summary>
    public uint PeerMaxPduLength => IsRequestor ? Accept.MaxPduLength : Request.MaxPduLength;

    /// <summary>Every presentation context as answered (accepted or not), with its abstract syntax.</summary>
    public IReadOnlyList<PresentationContextAnswer> PresentationContexts => Accept.PresentationContexts;

    /// <summary>The role selections accepted (what the requestor may be for each SOP class).</summary>
    public IReadOnlyList<RoleSelection> Roles => Accept.RoleSelections;

    /// <summary>Completes when the association has ended (released, aborted or the connection lost) and its transport is closed.</summary>
    public Task Completion => _closed.Task;

    /// <summary>Why the association ended, when it did not end with a release.</summary>
    public Exception? Failure => _failure;

    /// <summary>True when the association ended by A-RELEASE.</summary>
    public bool WasReleased { get; private set; }

    public long MessagesReceived { get; private set; }

    public long MessagesSent { get; private set; }

    /// <summary>The accepted presentation context for <paramref name="abstractSyntax"/> (and <paramref name="transferSyntax"/> when given), or null.</summary>
    public PresentationContextAnswer? FindPresentationContext(string abstractSyntax, string? transferSyntax = null) =>
        PresentationContexts.FirstOrDefault(pc => pc.IsAccepted
            && string.Equals(pc.AbstractSyntax, abstractSyntax, StringComparison.Ordinal)
            && (transferSyntax is null || string.Equals(pc.TransferSyntax, transferSyntax, StringComparison.Ordinal)));

    /// <summary>The accepted presentation context with id <paramref name="id"/>, or null.</summary>
    public PresentationContextAnswer? GetPresentationContext(byte id) => _contexts.TryGetValue(id, out var pc) && pc.IsAccepted ? pc : null;

    /// <summary>A message id for a new request on this association (never 0).</summary>
    public ushort NextMessageId()
    {
        while (true)
        {
            var id = (ushort)Interlocked.Increment(ref _nextMessageId);
            if (id != 0)
            {
                return id;
            }
        }
    }

    /// <summary>Aborts the association (A-ABORT from the service user) and closes the connection.</summary>
    public Task AbortAsync() => AbortCoreAsync(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), sendLockHeld: false, "aborted by the local user");

    public async ValueTask DisposeAsync()
    {
        if (_closing == 0)
        {
            await AbortAsync().ConfigureAwait(false);
        }

        // The send lock and the lifetime source are left to the collector: a send finishing on another thread may still touch them.
        await Completion.ConfigureAwait(false);
    }

    public override string ToString() => $"{(Request is null ? "association" : $"{Request.CallingAeTitle} -> {Request.CalledAeTitle}")} ({State})";

    private void SetEstablished(AssociateRequest request, AssociateAccept accept)
    {
        // The AC does not repeat the abstract syntaxes: take them from the request.
        var proposed = request.PresentationContexts.ToDictionary(pc => pc.Id, pc => pc.AbstractSyntax);
        var answers = accept.PresentationContexts
            .Select(pc => pc with { AbstractSyntax = proposed.TryGetValue(pc.Id, out var abstractSyntax) ? abstractSyntax : pc.AbstractSyntax })
            .ToList();
        Request = request;
        Accept = accept with { PresentationContexts = answers };
        _contexts = answers.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First());
    }

    private void StartWatchdog()
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, Math.Min(_options.IdleTimeout.Ticks, _options.OperationTimeout.Ticks) / 4));
        _watchdog = _time.CreateTimer(_ => Watch(), null, period, period);
    }

    /// <summary>Aborts an association whose peer has gone quiet: idle with nothing outstanding, or in the middle of an operation for too long.</summary>
    private void Watch()
    {
        if (_closing != 0)
        {
            return;
        }

        var quiet = _time.GetElapsedTime(Interlocked.Read(ref _lastReceived));
        var sendingSince = Interlocked.Read(ref _sendingSince);
        string? reason = null;
        if (sendingSince != 0 && _time.GetElapsedTime(sendingSince) > _options.OperationTimeout)
        {
            reason = "a message could not be sent within the operation timeout (the peer stopped reading)";
        }
        else if ((_receivingMessage || !_pending.IsEmpty) && quiet > _options.OperationTimeout)
        {
            reason = "the peer sent nothing within the operation timeout";
        }
        else if (_running.IsEmpty && _pending.IsEmpty && quiet > _options.IdleTimeout)
        {
            reason = "the association was idle longer than the idle timeout";
        }

        if (reason is not null)
        {
            _ = AbortCoreAsync(new Abort(AbortSource.ServiceProvider, AbortReason.NotSpecified), sendLockHeld: false, reason);
        }
    }

    /// <summary>Sends A-ABORT (when the send lock can be had without cutting a message) and closes.</summary>
    private async Task AbortCoreAsync(Abort abort, bool sendLockHeld, string reason)
    {
        if (Interlocked.CompareExchange(ref _closing, 1, 0) != 0)
        {
            return;
        }

        LogAborting(reason);
        _failure ??= new DicomAssociationAbortedException($"The association was aborted: {reason}.", abort);
        var state = _machine.State;
        _machine.Fire(AssociationEvent.Evt15);
        if (state is not AssociationState.Sta1 and not AssociationState.Sta4)
        {
            var locked = sendLockHeld || await _sendLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            if (locked)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
                    await _stream.WriteAsync(PduCodec.EncodeAbort(abort), timeout.Token).ConfigureAwait(false);
                    await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException)
                {
                    // The connection is gone or stuck: closing it is all that is left.
                }
                finally
                {
                    if (!sendLockHeld)
                    {
                        _sendLock.Release();
                    }
                }
            }
        }

        CloseTransport();
    }

    /// <summary>Closes the connection and ends everything waiting on the association.</summary>
    private void CloseTransport()
    {
        Interlocked.Exchange(ref _closing, 1);
        _machine.Fire(AssociationEvent.Evt17);
        _watchdog?.Dispose();
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            _stream.Dispose();
            _transport?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }

        var failure = _failure ?? new DicomAssociationAbortedException("The association has ended.");
        foreach (var pending in _pending.Values)
        {
            pending.Writer.TryComplete(failure);
        }

        foreach (var running in _running.Values)
        {
            running.Cancel();
        }

        _releaseConfirmed?.TrySetException(failure);
        _closed.TrySetResult();
    }

    [LoggerMessage(1, LogLevel.Debug, "Aborting the association: {Reason}.")]
    private partial void LogAborting(string reason);

    [LoggerMessage(2, LogLevel.Warning, "A DIMSE service failed ({ExceptionType}); the association is aborted.")]
    private partial void LogHandlerFailed(Exception exception, string exceptionType);

    [LoggerMessage(4, LogLevel.Trace, "PDU {Type} of {Length} bytes received.")]
    private partial void LogPdu(PduType type, uint length);

    [LoggerMessage(5, LogLevel.Trace, "PDV on context {ContextId}: command {IsCommand}, last {IsLast}, {Length} bytes.")]
    private partial void LogPdv(byte contextId, bool isCommand, bool isLast, int length);

    [LoggerMessage(3, LogLevel.Debug, "Protocol error on the association: {Message}")]
    private partial void LogProtocolError(string message);
}
