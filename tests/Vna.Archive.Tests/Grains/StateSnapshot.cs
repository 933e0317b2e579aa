namespace Vna.Archive.Tests.Grains;

/// <summary>What a <see cref="IStateTestGrain"/> holds, and which activation answered.</summary>
[GenerateSerializer]
[Alias("Vna.Archive.Tests.StateSnapshot")]
public sealed record StateSnapshot(
    [property: Id(0)] string? Value,
    [property: Id(1)] int Count,
    [property: Id(2)] string? ETag,
    [property: Id(3)] bool RecordExists,
    [property: Id(4)] Guid ActivationId);
