using System.Net;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests.Interop;

/// <summary>The test network namespace works: a peer listens inside it, a tool and this process reach it.</summary>
public sealed class NamespaceSmokeTests
{
    [Fact]
    public async Task Storescp_in_the_namespace_answers_echoscu_and_this_process_connects_to_it()
    {
        InteropRequirements.Require("storescp", "echoscu");
        using var ns = NetworkNamespace.Create();
        var folder = Directory.CreateTempSubdirectory("vna-qr-ns-").FullName;
        await using var storescp = PeerProcess.Start(ns, folder, "storescp", "-aet", "STORESCP", "41201");
        await InteropRequirements.WaitForPortAsync(ns, 41201, TestContext.Current.CancellationToken);

        var echo = await PeerProcess.RunAsync(ns, folder, TimeSpan.FromSeconds(30), "echoscu", "-aec", "STORESCP", "127.0.0.1", "41201");

        Assert.True(echo.ExitCode == 0, echo.All);
        Directory.Delete(folder, true);
    }
}
