using System.Globalization;

namespace Vna.Dicom.Network.Tests;

/// <summary>DCMTK's tools against the toolkit's SCP.</summary>
public sealed class DcmtkInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Echoscu_gets_success_and_releases()
    {
        PeerTool.Require("echoscu");
        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(new VerificationService()));

        var (exit, output) = await PeerTool.RunAsync(
            "echoscu", ["-v", "-aet", "ECHOSCU", "-aec", "TESTSCP", "--repeat", "3", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(30), Ct);

        Assert.True(exit == 0, output);
        Assert.Contains("Received Echo Response (Success)", output, StringComparison.Ordinal);
        Assert.Contains("Releasing Association", output, StringComparison.Ordinal);
        await LoopbackTests.WaitUntilAsync(() => server.Server.ActiveAssociations == 0);
        Assert.Equal(1, server.Server.AssociationsAccepted);
    }
}
