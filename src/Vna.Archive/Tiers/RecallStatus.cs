namespace Vna.Archive.Tiers;

/// <summary>Where a recall stands: done (the study is online), or pending with a time to ask again.</summary>
[GenerateSerializer]
[Alias("vna.RecallStatus")]
public sealed record RecallStatus([property: Id(0)] bool Online, [property: Id(1)] TimeSpan RetryAfter, [property: Id(2)] int InstancesRecalled);
