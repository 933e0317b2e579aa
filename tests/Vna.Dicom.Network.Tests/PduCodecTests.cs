namespace Vna.Dicom.Network.Tests;

public sealed class PduCodecTests
{
    [Fact]
    public void An_associate_request_survives_encoding_with_every_user_item()
    {
        var request = new AssociateRequest
        {
            CalledAeTitle = "VNA",
            CallingAeTitle = "MODALITY1",
            PresentationContexts =
            [
                new PresentationContext(1, VerificationService.SopClassUid, ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
                new PresentationContext(3, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.4.50"]),
            ],
            MaxPduLength = 16384,
            ImplementationClassUid = "1.2.3.4",
            ImplementationVersionName = "TEST_1",
            AsyncOperations = new AsyncOperationsWindow(4, 2),
            RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", ScuRole: false, ScpRole: true)],
            UserIdentity = new UserIdentity(UserIdentityType.UsernameAndPasscode, "alice", "secret", PositiveResponseRequested: true),
        };

        var pdu = PduCodec.EncodeAssociateRequest(request);
        Assert.Equal((byte)PduType.AssociateRequest, pdu[0]);
        var decoded = PduCodec.DecodeAssociateRequest(pdu.AsSpan(PduCodec.HeaderLength));

        Assert.Equal("VNA", decoded.CalledAeTitle);
        Assert.Equal("MODALITY1", decoded.CallingAeTitle);
        Assert.Equal(AssociateRequest.DicomApplicationContext, decoded.ApplicationContext);
        Assert.Equal(2, decoded.PresentationContexts.Count);
        Assert.Equal(["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"], decoded.PresentationContexts[0].TransferSyntaxes);
        Assert.Equal((byte)3, decoded.PresentationContexts[1].Id);
        Assert.Equal(16384u, decoded.MaxPduLength);
        Assert.Equal("1.2.3.4", decoded.ImplementationClassUid);
        Assert.Equal("TEST_1", decoded.ImplementationVersionName);
        Assert.Equal(new AsyncOperationsWindow(4, 2), decoded.AsyncOperations);
        Assert.Equal(request.RoleSelections, decoded.RoleSelections);
        Assert.Equal(request.UserIdentity, decoded.UserIdentity);
        Assert.DoesNotContain("secret", decoded.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_associate_accept_survives_encoding()
    {
        var accept = new AssociateAccept
        {
            CalledAeTitle = "VNA",
            CallingAeTitle = "SCU",
            PresentationContexts =
            [
                new PresentationContextAnswer(1, PresentationContextResult.Acceptance, "1.2.840.10008.1.2"),
                new PresentationContextAnswer(3, PresentationContextResult.AbstractSyntaxNotSupported, null),
            ],
            MaxPduLength = 0,
            RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)],
            UserIdentityResponse = [],
        };

        var decoded = PduCodec.DecodeAssociateAccept(PduCodec.EncodeAssociateAccept(accept).AsSpan(PduCodec.HeaderLength));

        Assert.Equal("1.2.840.10008.1.2", decoded.PresentationContexts[0].TransferSyntax);
        Assert.True(decoded.PresentationContexts[0].IsAccepted);
        Assert.False(decoded.PresentationContexts[1].IsAccepted);
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, decoded.PresentationContexts[1].Result);
        Assert.Equal(0u, decoded.MaxPduLength);
        Assert.Equal(accept.RoleSelections, decoded.RoleSelections);
        Assert.NotNull(decoded.UserIdentityResponse);
    }

    [Fact]
    public void Reject_and_abort_carry_their_reasons()
    {
        var reject = PduCodec.DecodeAssociateReject(PduCodec.EncodeAssociateReject(AssociateReject.CallingAeNotRecognized).AsSpan(PduCodec.HeaderLength));
        Assert.Equal(AssociateReject.CallingAeNotRecognized, reject);
        Assert.Equal("calling AE title not recognized", reject.Description);

        var abort = PduCodec.DecodeAbort(PduCodec.EncodeAbort(new Abort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu)).AsSpan(PduCodec.HeaderLength));
        Assert.Equal(new Abort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), abort);
    }

    [Fact]
    public void An_item_longer_than_its_pdu_is_a_protocol_error_not_a_crash()
    {
        var pdu = PduCodec.EncodeAssociateRequest(new AssociateRequest
        {
            CalledAeTitle = "A",
            CallingAeTitle = "B",
            PresentationContexts = [new PresentationContext(1, VerificationService.SopClassUid, ["1.2.840.10008.1.2"])],
        });
        var body = pdu.AsSpan(PduCodec.HeaderLength).ToArray();

        // The application context item's length (after the 68 fixed bytes): claim far more than there is.
        body[68 + 2] = 0xFF;
        body[68 + 3] = 0xFF;

        var error = Assert.Throws<DicomNetworkException>(() => PduCodec.DecodeAssociateRequest(body));
        Assert.Equal(AbortReason.InvalidPduParameterValue, error.AbortReason);
        Assert.Throws<DicomNetworkException>(() => PduCodec.DecodeAssociateRequest(body.AsSpan(0, 30)));
    }
}
