using System.Reflection;

namespace Vna.Testing;

/// <summary>Where the repository and the built server are (recorded at build time; <c>VNA_SERVER_DLL</c> overrides the server).</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root (holds Vna.sln).</summary>
    public static string Root { get; } = Metadata("VnaRepositoryRoot");

    /// <summary>The server built in the tests' configuration: <c>src/Vna.Server/bin/&lt;Configuration&gt;/net10.0/Vna.Server.dll</c>.</summary>
    public static string ServerDll { get; } =
        Environment.GetEnvironmentVariable("VNA_SERVER_DLL") is { Length: > 0 } dll ? dll : Metadata("VnaServerDll");

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The assembly lacks its {key} metadata (see Vna.Testing.csproj).");
}
