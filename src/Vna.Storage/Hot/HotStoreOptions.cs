namespace Vna.Storage;

/// <summary>Settings of the hot tier on the local filesystem (section "HotStore" of the server configuration).</summary>
public sealed class HotStoreOptions
{
    public const string SectionName = "HotStore";

    /// <summary>
    /// The root folder: committed objects live under <c>studies/</c>, objects being received under <c>tmp/</c>. Both must be on
    /// one filesystem, so that a commit is an atomic rename.
    /// </summary>
    public string RootPath { get; set; } = Path.Combine("var", "hot");
}
