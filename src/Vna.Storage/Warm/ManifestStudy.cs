namespace Vna.Storage.Warm;

/// <summary>The study-level attributes a manifest records (each instance also carries its full attributes).</summary>
public sealed record ManifestStudy(string StudyDate, string StudyTime, string AccessionNumber, string StudyDescription, string StudyId, IReadOnlyList<string> Modalities);
