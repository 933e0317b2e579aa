namespace Vna.Storage.Cold;

/// <summary>One entry of a cold bundle, as its header says.</summary>
/// <param name="Name">manifest.json, or {Series}/{SOP}.dcm.</param>
/// <param name="Length">Its size in bytes.</param>
public sealed record BundleEntry(string Name, long Length);
