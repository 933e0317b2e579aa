using System.Globalization;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Dicom.Network.Tests;

namespace Vna.Dimse.Tests;

[Collection(DimseCollection.Name)]
public sealed class AccessTests(DimseServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Echoscu_with_a_configured_calling_ae_title_gets_success()
    {
        server.RequireServer();
        var (exit, output) = await PeerTool.RunAsync(
            "echoscu", ["-v", "-aet", "ECHOSCU", "-aec", DimseServerFixture.AeTitle, "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(30), Ct);
        Assert.True(exit == 0, output);
        Assert.Contains("Received Echo Response (Success)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_calling_ae_title_is_rejected_as_not_recognized()
    {
        server.RequireServer();
        var rejected = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() =>
            DicomClient.ConnectAsync(server.Client(), DimseServerFixture.Request(callingAe: "STRANGER"), Ct));
        Assert.Equal(AssociateReject.CallingAeNotRecognized, rejected.Reject);
        Assert.Equal("calling AE title not recognized", rejected.Reject.Description);

        var (exit, output) = await PeerTool.RunAsync(
            "echoscu", ["-aet", "STRANGER", "-aec", DimseServerFixture.AeTitle, "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(30), Ct);
        Assert.NotEqual(0, exit);
        Assert.Contains("Calling AE Title Not Recognized", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_called_ae_title_is_rejected()
    {
        server.RequireServer();
        var rejected = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() =>
            DicomClient.ConnectAsync(server.Client(), DimseServerFixture.Request(calledAe: "OTHERPACS"), Ct));
        Assert.Equal(AssociateReject.CalledAeNotRecognized, rejected.Reject);
    }

    [Fact]
    public async Task A_user_identity_is_accepted_with_the_right_passcode_and_rejected_with_a_wrong_one()
    {
        server.RequireServer();
        var good = await DicomClient.ConnectAsync(
            server.Client(), DimseServerFixture.Request(identity: new UserIdentity(UserIdentityType.UsernameAndPasscode, "alice", "wonderland", PositiveResponseRequested: true)), Ct);
        Assert.NotNull(good.Accept.UserIdentityResponse);
        Assert.Equal(DimseStatus.Success, await good.EchoAsync(Ct));
        await good.ReleaseAsync(Ct);

        await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync(
            server.Client(), DimseServerFixture.Request(identity: new UserIdentity(UserIdentityType.UsernameAndPasscode, "alice", "guess")), Ct));
        await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync(
            server.Client(), DimseServerFixture.Request(identity: new UserIdentity(UserIdentityType.Username, "mallory")), Ct));
    }

    [Fact]
    public async Task A_department_without_the_store_permission_is_refused_and_nothing_is_stored()
    {
        server.RequireServer();
        var before = await server.InstanceCountAsync(Ct);
        var bytes = await SyntheticDataset.CreateAsync(Ct);
        var association = await DicomClient.ConnectAsync(
            server.Client(),
            DimseServerFixture.Request(callingAe: "VIEWER", contexts: [new PresentationContext(1, SyntheticDataset.CtImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid])]),
            Ct);
        var response = await association.StoreAsync(
            SyntheticDataset.CtImageStorage, bytes.SopInstanceUid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DimseOutgoingData.FromBytes(bytes.Dataset), Ct);
        await association.ReleaseAsync(Ct);

        Assert.Equal(DimseStatus.NotAuthorized, response.Status);
        Assert.Equal(before, await server.InstanceCountAsync(Ct));
    }

    [Fact]
    public async Task Echo_and_store_over_tls()
    {
        server.RequireServer();
        var bytes = await SyntheticDataset.CreateAsync(Ct);
        var association = await DicomClient.ConnectAsync(
            server.Client(tls: true),
            DimseServerFixture.Request(contexts:
            [
                new PresentationContext(1, VerificationService.SopClassUid, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid]),
                new PresentationContext(3, SyntheticDataset.CtImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid]),
            ]),
            Ct);
        Assert.Equal(DimseStatus.Success, await association.EchoAsync(Ct));
        var response = await association.StoreAsync(
            SyntheticDataset.CtImageStorage, bytes.SopInstanceUid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DimseOutgoingData.FromBytes(bytes.Dataset), Ct);
        await association.ReleaseAsync(Ct);

        Assert.Equal(DimseStatus.Success, response.Status);
        Assert.Equal(1L, await server.Database.ScalarAsync<long>("SELECT count(*) FROM instance WHERE sop_instance_uid = $1", Ct, bytes.SopInstanceUid));
    }
}
