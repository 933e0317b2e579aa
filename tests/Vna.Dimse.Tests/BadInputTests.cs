using System.Buffers.Binary;
using System.Text;
using Vna.Dicom.Network;

namespace Vna.Dimse.Tests;

/// <summary>
/// Bad input on the network against the running archive, each with the reaction PS3.8 Table 9-10 gives for the state it
/// arrives in: before an A-ASSOCIATE-RQ (Sta2) anything else is AA-1 (A-ABORT, source service-user, reason 00H); on an
/// established association (Sta6) an unexpected or invalid PDU is AA-8 (A-ABORT, source service-provider, with the reason);
/// a request the acceptor cannot take is answered A-ASSOCIATE-RJ; a silent or cut connection is closed (ARTIM, AA-2/AA-4).
/// After each, nothing half-received is stored or indexed and the server goes on serving.
/// </summary>
[Collection(DimseCollection.Name)]
public sealed class BadInputTests(DimseServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("09 00 00 00 00 04 01 02 03 04")]
    [InlineData("47 45 54 20 2F 20 48 54 54 50 2F 31 2E 31 0D 0A 0D 0A")]
    [InlineData("00 00 00 00 00 00")]
    public async Task Garbage_bytes_before_an_association_get_an_AA1_abort(string hex)
    {
        server.RequireServer();
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);

        await peer.SendAsync(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), Ct);

        var abort = await peer.ExpectAbortAndCloseAsync(Ct);
        Assert.Equal(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), abort);
        await server.AssertServingAsync(Ct);
    }

    [Theory]
    [InlineData(PduType.DataTransfer)]
    [InlineData(PduType.ReleaseRequest)]
    [InlineData(PduType.AssociateAccept)]
    public async Task A_pdu_other_than_an_association_request_first_gets_an_AA1_abort(PduType type)
    {
        server.RequireServer();
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);
        var pdu = type switch
        {
            PduType.DataTransfer => RawPeer.PData(1, true, true, RawPeer.EchoCommand()),
            PduType.ReleaseRequest => PduCodec.EncodeReleaseRequest(),
            _ => PduCodec.EncodeAssociateAccept(new AssociateAccept { CalledAeTitle = "VNA", CallingAeTitle = "STORESCU" }),
        };

        await peer.SendAsync(pdu, Ct);

        Assert.Equal(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), await peer.ExpectAbortAndCloseAsync(Ct));
        await server.AssertServingAsync(Ct);
    }

    [Fact]
    public async Task A_truncated_association_request_is_dropped_when_the_artim_timer_expires()
    {
        server.RequireServer();
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);
        var request = PduCodec.EncodeAssociateRequest(RawPeer.Request());

        // Half of the PDU, then silence: the server waits at most ARTIM (3 s here) and closes (Sta2 + Evt18: AA-2).
        await peer.SendAsync(request.AsMemory(0, request.Length / 2), Ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await peer.ExpectClosedAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"closed after {clock.Elapsed.TotalSeconds:0.0} s, before the ARTIM timer (3 s) expired");
        await server.AssertServingAsync(Ct);
    }

    [Fact]
    public async Task An_association_request_longer_than_the_control_pdu_limit_gets_an_abort_before_it_is_buffered()
    {
        server.RequireServer();
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);
        var header = new byte[6];
        PduCodec.WriteHeader(header, PduType.AssociateRequest, 0xFFFF_FFF0);

        await peer.SendAsync(header, Ct);

        Assert.Equal(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), await peer.ExpectAbortAndCloseAsync(Ct));
        await server.AssertServingAsync(Ct);
    }

    [Fact]
    public async Task An_unsupported_protocol_version_is_rejected_with_the_reason_of_PS3_8()
    {
        server.RequireServer();
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);
        var request = PduCodec.EncodeAssociateRequest(RawPeer.Request());
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), 2);

        await peer.SendAsync(request, Ct);
        var answer = await peer.ReadPduAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(answer is { Type: PduType.AssociateReject }, $"expected an A-ASSOCIATE-RJ, got {answer?.Type.ToString() ?? "the connection closed"}");
        var reject = PduCodec.DecodeAssociateReject(answer!.Value.Body);
        Assert.Equal(new AssociateReject(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceProviderAcse, AssociateReject.ProtocolVersionNotSupported), reject);
        await peer.ExpectClosedAsync(TimeSpan.FromSeconds(10), Ct);
        await server.AssertServingAsync(Ct);
    }

    [Fact]
    public async Task A_second_association_request_on_an_established_association_gets_an_AA8_abort()
    {
        server.RequireServer();
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);
        await peer.AssociateAsync(RawPeer.Request(), Ct);

        await peer.SendAsync(PduCodec.EncodeAssociateRequest(RawPeer.Request()), Ct);

        Assert.Equal(new Abort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), await peer.ExpectAbortAndCloseAsync(Ct));
        await server.AssertServingAsync(Ct);
    }

    [Fact]
    public async Task A_data_pdu_longer_than_the_negotiated_maximum_gets_an_AA8_abort_and_nothing_is_stored()
    {
        server.RequireServer();
        var (sop, dataset) = await RawPeer.CtDatasetAsync(81, Ct);
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);
        var accept = await peer.AssociateAsync(RawPeer.Request(), Ct);
        Assert.NotEqual(0u, accept.MaxPduLength);

        // The command, then a data PDU whose header claims one byte more than the server said it takes: refused at the header.
        await peer.SendAsync(RawPeer.PData(3, true, true, RawPeer.StoreCommand(sop)), Ct);
        var oversize = RawPeer.PData(3, false, false, dataset.AsSpan(0, 4096));
        PduCodec.WriteHeader(oversize, PduType.DataTransfer, accept.MaxPduLength + 1);
        await peer.SendAsync(oversize, Ct);

        Assert.Equal(new Abort(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue), await peer.ExpectAbortAndCloseAsync(Ct));
        await AssertNothingOfAsync(sop);
    }

    [Fact]
    public async Task A_pdv_on_a_presentation_context_that_was_not_accepted_gets_an_AA8_abort()
    {
        server.RequireServer();
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);
        await peer.AssociateAsync(RawPeer.Request(), Ct);

        await peer.SendAsync(RawPeer.PData(7, true, true, RawPeer.EchoCommand()), Ct);

        Assert.Equal(new Abort(AbortSource.ServiceProvider, AbortReason.UnexpectedPduParameter), await peer.ExpectAbortAndCloseAsync(Ct));
        await server.AssertServingAsync(Ct);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_abort_or_a_cut_connection_in_the_middle_of_a_data_set_stores_nothing_and_removes_the_temporary_file(bool abort)
    {
        server.RequireServer();
        var (sop, dataset) = await RawPeer.CtDatasetAsync(abort ? 82 : 83, Ct);
        var before = await server.InstanceCountAsync(Ct);
        using var peer = await RawPeer.ConnectAsync(server.Port, Ct);
        await peer.AssociateAsync(RawPeer.Request(), Ct);

        await peer.SendAsync(RawPeer.PData(3, true, true, RawPeer.StoreCommand(sop)), Ct);
        await peer.SendAsync(RawPeer.PData(3, false, false, dataset.AsSpan(0, dataset.Length / 2)), Ct);
        await Task.Delay(300, Ct);
        if (abort)
        {
            // A-ABORT from the service user: the server closes without answering (Sta6 + Evt16: AA-3).
            await peer.SendAsync(PduCodec.EncodeAbort(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified)), Ct);
            Assert.Null(await peer.ReadPduAsync(TimeSpan.FromSeconds(10), Ct));
        }
        else
        {
            // The connection cut in the middle of a PDU (Evt17: AA-4).
            var cut = RawPeer.PData(3, false, true, dataset.AsSpan(dataset.Length / 2));
            await peer.SendAsync(cut.AsMemory(0, cut.Length / 2), Ct);
            peer.ShutdownSend();
            await peer.ExpectClosedAsync(TimeSpan.FromSeconds(10), Ct);
        }

        await AssertNothingOfAsync(sop);
        Assert.Equal(before, await server.InstanceCountAsync(Ct));
    }

    [Fact]
    public async Task Associations_beyond_the_limit_are_rejected_as_transient_and_served_again_once_released()
    {
        server.RequireServer();
        var held = new List<DicomAssociation>();
        try
        {
            for (var i = 0; i < DimseServerFixture.MaxAssociations; i++)
            {
                held.Add(await DicomClient.ConnectAsync(server.Client(), DimseServerFixture.Request(), Ct));
            }

            var flood = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            {
                try
                {
                    var extra = await DicomClient.ConnectAsync(server.Client(), DimseServerFixture.Request(), Ct);
                    await extra.ReleaseAsync(Ct);
                    return null;
                }
                catch (DicomAssociationRejectedException ex)
                {
                    return ex.Reject.Description;
                }
                catch (DicomAssociationAbortedException)
                {
                    return "closed";
                }
            }));

            // Up to the limit again are answered A-ASSOCIATE-RJ (transient, local limit exceeded); beyond twice the limit the
            // server does not even read the request and closes the connection. None is accepted.
            Assert.DoesNotContain(flood, outcome => outcome is null);
            Assert.Contains(AssociateReject.LimitExceeded.Description, flood);
            Assert.All(flood, outcome => Assert.Contains(outcome, new[] { AssociateReject.LimitExceeded.Description, "closed" }));
            Assert.All(held, a => Assert.Equal(AssociationState.Sta6, a.State));
            Assert.Equal(DimseStatus.Success, await held[0].EchoAsync(Ct));
        }
        finally
        {
            foreach (var association in held)
            {
                await association.ReleaseAsync(Ct);
            }
        }

        await server.AssertServingAsync(Ct);
    }

    /// <summary>The instance is neither indexed nor on disk, no temporary file stays, the index is whole, and echo works.</summary>
    private async Task AssertNothingOfAsync(string sop)
    {
        for (var i = 0; i < 100 && server.TemporaryFiles() > 0; i++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.Equal(0, server.TemporaryFiles());
        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM instance WHERE sop_instance_uid = '" + sop + "'", Ct));
        var stored = Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "hot"), "*.dcm", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/tmp/", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, f => File.ReadAllBytes(f).AsSpan().IndexOf(Encoding.ASCII.GetBytes(sop)) >= 0);
        await server.AssertIndexIsWholeAsync(Ct);
        await server.AssertServingAsync(Ct);
    }
}
