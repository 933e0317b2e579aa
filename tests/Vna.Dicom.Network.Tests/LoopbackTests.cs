using System.Net.Sockets;
using System.Security.Cryptography;

namespace Vna.Dicom.Network.Tests;

/// <summary>The toolkit's SCU against its own SCP over loopback TCP.</summary>
public sealed class LoopbackTests
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Echo_then_release()
    {
        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(new VerificationService()));
        var association = await DicomClient.ConnectAsync(server.Client(), TestServer.Request(), Ct);

        Assert.Equal(AssociationState.Sta6, association.State);
        Assert.Equal(DimseStatus.Success, await association.EchoAsync(Ct));
        Assert.Equal(DimseStatus.Success, await association.EchoAsync(Ct));
        await association.ReleaseAsync(Ct);

        Assert.True(association.WasReleased);
        Assert.Equal(AssociationState.Sta1, association.State);
    }

    [Fact]
    public async Task A_large_data_set_arrives_whole_across_many_pdus_in_both_directions_of_the_limit()
    {
        var store = new CountingStoreService();
        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(store), o => o.Association.MaxPduLength = 16384);
        var client = server.Client(o => o.Association.MaxPduLength = 4096);
        var association = await DicomClient.ConnectAsync(
            client, TestServer.Request(new PresentationContext(1, CtImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid])), Ct);
        Assert.Equal(16384u, association.PeerMaxPduLength);

        var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 7);
        var status = await association.StoreAsync(CtImageStorage, "1.2.3.4.5", DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DimseOutgoingData.FromBytes(payload), Ct);
        await association.ReleaseAsync(Ct);

        Assert.Equal(DimseStatus.Success, status.Status);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(payload)), payload.LongLength), store.Received["1.2.3.4.5"]);
    }

    [Fact]
    public async Task An_unsupported_abstract_syntax_is_refused_in_negotiation_and_an_unknown_operation_gets_a_status()
    {
        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(new VerificationService()));
        var association = await DicomClient.ConnectAsync(
            server.Client(),
            TestServer.Request(
                new PresentationContext(1, VerificationService.SopClassUid, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid]),
                new PresentationContext(3, CtImageStorage, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])),
            Ct);

        Assert.Null(association.FindPresentationContext(CtImageStorage));
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, association.PresentationContexts.Single(p => p.Id == 3).Result);

        // A C-FIND on the Verification context: no service handles it.
        var find = new DimseCommand(DimseCommandField.CFindRequest) { AffectedSopClassUid = VerificationService.SopClassUid };
        var response = await association.SendRequestAsync(1, find, null, Ct);
        Assert.Equal(DimseStatus.UnrecognizedOperation, response.Command.Status);
        await association.ReleaseAsync(Ct);
    }

    [Fact]
    public async Task Associations_beyond_the_limit_are_rejected_as_transient_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(new VerificationService()), o => o.MaxAssociations = 2);
        var first = await DicomClient.ConnectAsync(server.Client(), TestServer.Request(), Ct);
        var second = await DicomClient.ConnectAsync(server.Client(), TestServer.Request(), Ct);

        var rejected = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync(server.Client(), TestServer.Request(), Ct));
        Assert.Equal(AssociateReject.LimitExceeded, rejected.Reject);

        await first.ReleaseAsync(Ct);
        await WaitUntilAsync(() => server.Server.ActiveAssociations < 2);
        var third = await DicomClient.ConnectAsync(server.Client(), TestServer.Request(), Ct);
        Assert.Equal(DimseStatus.Success, await third.EchoAsync(Ct));
        Assert.Equal(DimseStatus.Success, await second.EchoAsync(Ct));
        await third.ReleaseAsync(Ct);
        await second.ReleaseAsync(Ct);
    }

    [Fact]
    public async Task Cancelling_a_send_part_way_aborts_the_association_instead_of_leaving_half_a_message()
    {
        var store = new CountingStoreService();
        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(store));
        var association = await DicomClient.ConnectAsync(
            server.Client(), TestServer.Request(new PresentationContext(1, CtImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid])), Ct);
        using var cancel = new CancellationTokenSource();
        var source = new CancellingStream(64 * 1024 * 1024, after: 2 * 1024 * 1024, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            association.StoreAsync(CtImageStorage, "1.2.3.9", DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DimseOutgoingData.FromStream(source), cancel.Token));

        await association.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.IsType<DicomAssociationAbortedException>(association.Failure);
        Assert.Empty(store.Received);

        // The server goes on serving.
        var next = await DicomClient.ConnectAsync(server.Client(), TestServer.Request(new PresentationContext(1, CtImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid])), Ct);
        var status = await next.StoreAsync(CtImageStorage, "1.2.3.10", DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DimseOutgoingData.FromBytes(new byte[1000]), Ct);
        Assert.Equal(DimseStatus.Success, status.Status);
        await next.ReleaseAsync(Ct);
    }

    [Fact]
    public async Task The_scp_can_send_a_request_of_its_own_on_the_association_and_get_the_answer()
    {
        // As Storage Commitment does: the SCP answers N-ACTION, then sends N-EVENT-REPORT to the SCU on the same association.
        const string commitment = "1.2.840.10008.1.20.1";
        var reported = new TaskCompletionSource<ushort>();
        var scp = new DelegateService(commitment, DimseCommandField.NActionRequest, async (association, request, ct) =>
        {
            await association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, DimseStatus.Success), null, ct);
            var report = new DimseCommand(DimseCommandField.NEventReportRequest) { AffectedSopClassUid = commitment, AffectedSopInstanceUid = "1.2.840.10008.1.20.1.1", EventTypeId = 1 };
            var answer = await association.SendRequestAsync(request.PresentationContextId, report, null, ct);
            reported.SetResult(answer.Command.Status);
        });
        var scuSide = new DelegateService(commitment, DimseCommandField.NEventReportRequest, (association, request, ct) =>
            association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, DimseStatus.Success), null, ct));

        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(scp));
        var client = await DicomClient.ConnectAsync(
            server.Client(o => o.Services = new DimseServiceRegistry(scuSide)),
            TestServer.Request(new PresentationContext(1, commitment, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])),
            Ct);
        var action = new DimseCommand(DimseCommandField.NActionRequest) { RequestedSopClassUid = commitment, RequestedSopInstanceUid = "1.2.840.10008.1.20.1.1", ActionTypeId = 1 };
        var response = await client.SendRequestAsync(1, action, null, Ct);

        Assert.Equal(DimseStatus.Success, response.Command.Status);
        Assert.Equal(DimseStatus.Success, await reported.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await client.ReleaseAsync(Ct);
    }

    [Fact]
    public async Task Garbage_bytes_are_answered_with_an_abort_and_the_connection_closed()
    {
        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(new VerificationService()));
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", server.Port, Ct);
        await socket.SendAsync(new byte[] { 0x09, 0, 0, 0, 0, 4, 1, 2, 3, 4 }, Ct);

        var answer = new byte[64];
        var n = await socket.ReceiveAsync(answer, Ct);
        Assert.Equal(10, n);
        Assert.Equal((byte)PduType.Abort, answer[0]);

        // Before an A-ASSOCIATE-RQ (Sta2) this is AA-1: source service-user, reason 00H (PS3.8 Table 9-10, 9.3.8).
        Assert.Equal((byte)AbortSource.ServiceUser, answer[8]);
        Assert.Equal((byte)AbortReason.NotSpecified, answer[9]);
        Assert.Equal(0, await socket.ReceiveAsync(answer, Ct));

        var association = await DicomClient.ConnectAsync(server.Client(), TestServer.Request(), Ct);
        Assert.Equal(DimseStatus.Success, await association.EchoAsync(Ct));
        await association.ReleaseAsync(Ct);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition());
    }
}
