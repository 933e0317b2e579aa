using System.Reflection;

namespace Vna.Policies.Tests;

/// <summary>The repository's <c>policies/</c> folder (recorded at build time).</summary>
internal static class ShippedPolicies
{
    public static string Folder { get; } =
        typeof(ShippedPolicies).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "VnaPoliciesFolder").Value!;

    public static IEnumerable<string> Files => Directory.EnumerateFiles(Folder, "*.yaml").Order(StringComparer.Ordinal);

    public static async Task<PolicySet> LoadAllAsync(CancellationToken cancellationToken)
    {
        var documents = new List<PolicyDocument>();
        foreach (var file in Files)
        {
            documents.Add(await PolicyLoader.LoadFileAsync(file, cancellationToken));
        }

        return PolicySet.Create(documents);
    }
}
