namespace Vna.Tiers;

/// <summary>The result of reading back every instance of a study.</summary>
public sealed record VerifyReport(string StudyInstanceUid, int Instances, int Verified, long Bytes, IReadOnlyDictionary<string, int> Tiers, IReadOnlyList<string> Mismatched);
