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

    [Fact]
    public async Task Storescu_sends_a_data_set_spanning_several_pdus_read_in_small_pieces()
    {
        // Regression: the last fragment, read in several pieces, must end the data set (it once waited for more).
        PeerTool.Require("storescu");
        var sample = TestSamples.PathOf("color/TestPattern_Palette_16.dcm");
        var store = new CountingStoreService();
        await using var server = await TestServer.StartAsync(new DimseServiceRegistry(store), o => o.Association.MaxPduLength = 16384);

        var (exit, output) = await PeerTool.RunAsync(
            "storescu", ["-v", "-xe", "-aec", "TESTSCP", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture), sample], TimeSpan.FromSeconds(30), Ct);

        Assert.True(exit == 0, output);
        Assert.Contains("Received Store Response (Success)", output, StringComparison.Ordinal);
        var received = Assert.Single(store.Received.Values);
        Assert.InRange(received.Length, 250_000, new FileInfo(sample).Length);
    }
}
