namespace Vna.Tiers;

/// <summary>What a rebuild of the index from the buckets found and registered.</summary>
public sealed record RebuildReport(int Studies, int Instances, int WarmStudies, int ColdStudies, IReadOnlyList<string> Problems);
