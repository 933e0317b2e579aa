using Vna.Testing;

namespace Vna.Lifecycle.Tests;

/// <summary>The built server as a child process for this project's tests: ports from its own range, DIMSE off.</summary>
internal static class LifecycleServer
{
    public static ServerSettings Settings(string name, string postgres, ScratchFolder scratch, Dictionary<string, string> configuration)
    {
        configuration["Dimse__Enabled"] = "false";
        return new ServerSettings
        {
            Name = name,
            Postgres = postgres,
            WorkDirectory = scratch.Sub("work"),
            DataDirectory = scratch.Sub("data"),
            HttpPort = FreePorts.Next(),
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            DimsePort = FreePorts.Next(),
            Configuration = configuration,
        };
    }
}
