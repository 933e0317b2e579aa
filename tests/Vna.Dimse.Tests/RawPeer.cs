using System.Buffers.Binary;
using System.Net.Sockets;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Testing;

namespace Vna.Dimse.Tests;

/// <summary>
/// A DICOM peer at the byte level: sends exactly the PDUs (or bytes) a test builds, and reads what the server answers, so
/// that bad input can be sent and the server's reaction checked against PS3.8.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    public const string CtImageStorage = SyntheticCt.CtImageStorage;

    private readonly Socket _socket;

    private RawPeer(Socket socket) => _socket = socket;

    public static async Task<RawPeer> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
        return new RawPeer(socket);
    }

    /// <summary>An A-ASSOCIATE-RQ from STORESCU to VNA proposing Verification and CT Image Storage (Explicit VR LE).</summary>
    public static AssociateRequest Request(string callingAe = "STORESCU") => new()
    {
        CalledAeTitle = DimseServerFixture.AeTitle,
        CallingAeTitle = callingAe,
        PresentationContexts =
        [
            new PresentationContext(1, VerificationService.SopClassUid, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid]),
            new PresentationContext(3, CtImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid]),
        ],
    };

    /// <summary>A P-DATA-TF PDU holding one PDV.</summary>
    public static byte[] PData(byte contextId, bool isCommand, bool isLast, ReadOnlySpan<byte> value)
    {
        var pdu = new byte[6 + 6 + value.Length];
        PduCodec.WriteHeader(pdu, PduType.DataTransfer, (uint)(6 + value.Length));
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(6), (uint)(2 + value.Length));
        pdu[10] = contextId;
        pdu[11] = (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));
        value.CopyTo(pdu.AsSpan(12));
        return pdu;
    }

    public static byte[] EchoCommand() =>
        new DimseCommand(DimseCommandField.CEchoRequest) { MessageId = 1, AffectedSopClassUid = VerificationService.SopClassUid }.Encode();

    public static byte[] StoreCommand(string sopInstanceUid) =>
        new DimseCommand(DimseCommandField.CStoreRequest) { MessageId = 1, AffectedSopClassUid = CtImageStorage, AffectedSopInstanceUid = sopInstanceUid, Priority = 0, HasDataSet = true }
            .Encode();

    /// <summary>A small synthetic CT: its SOP Instance UID and its data set (Explicit VR LE, no meta).</summary>
    public static async Task<(string SopInstanceUid, byte[] Dataset)> CtDatasetAsync(int seed, CancellationToken cancellationToken)
    {
        var instance = SyntheticCt.CreateStudy(seed, 1, 1)[0] with { Rows = 64, Columns = 64 };
        using var file = new MemoryStream(await SyntheticCt.EncodeAsync(instance, cancellationToken));
        var (dataset, _) = await Part10Header.SkipAsync(file, cancellationToken);
        using var bytes = new MemoryStream();
        await dataset.CopyToAsync(bytes, cancellationToken);
        return (instance.SopInstanceUid!, bytes.ToArray());
    }

    public Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => _socket.SendAsync(bytes, cancellationToken).AsTask();

    /// <summary>No more bytes from this side (the server then sees the end of the stream).</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Sends the A-ASSOCIATE-RQ and returns the server's A-ASSOCIATE-AC (fails on anything else).</summary>
    public async Task<AssociateAccept> AssociateAsync(AssociateRequest request, CancellationToken cancellationToken)
    {
        await SendAsync(PduCodec.EncodeAssociateRequest(request), cancellationToken);
        var answer = await ReadPduAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.True(answer is { Type: PduType.AssociateAccept }, $"expected an A-ASSOCIATE-AC, got {answer?.Type.ToString() ?? "the connection closed"}");
        return PduCodec.DecodeAssociateAccept(answer!.Value.Body);
    }

    /// <summary>The next PDU the server sends; null when it closed the connection (or reset it) first.</summary>
    public async Task<(PduType Type, byte[] Body)?> ReadPduAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var header = new byte[6];
            if (!await ReadExactlyAsync(header, limit.Token))
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2));
            Assert.True(length <= 1 << 20, $"the server sent a PDU of {length} bytes");
            var body = new byte[length];
            return await ReadExactlyAsync(body, limit.Token) ? ((PduType)header[0], body) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The A-ABORT the server answers with, then checks that it closed the connection.</summary>
    public async Task<Abort> ExpectAbortAndCloseAsync(CancellationToken cancellationToken)
    {
        var pdu = await ReadPduAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.True(pdu is { Type: PduType.Abort }, $"expected an A-ABORT, got {pdu?.Type.ToString() ?? "the connection closed"}");
        await ExpectClosedAsync(TimeSpan.FromSeconds(10), cancellationToken);
        return PduCodec.DecodeAbort(pdu!.Value.Body);
    }

    /// <summary>Reads (and drops) whatever the server still sends until it closes the connection; fails after <paramref name="timeout"/>.</summary>
    public async Task ExpectClosedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Assert.True(await DrainAsync(timeout, cancellationToken), $"the server did not close the connection within {timeout.TotalSeconds:0} s");
    }

    /// <summary>True when the server closed the connection within <paramref name="timeout"/> (what it sent before is dropped).</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await _socket.ReceiveAsync(buffer, limit.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = await _socket.ReceiveAsync(buffer[done..], cancellationToken);
            if (n == 0)
            {
                return false;
            }

            done += n;
        }

        return true;
    }
}
