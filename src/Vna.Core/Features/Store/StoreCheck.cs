namespace Vna.Core;

/// <summary>The outcome of <see cref="StoreValidator"/>: the object's identifying UIDs as far as they were read, and the first failure.</summary>
internal sealed record StoreCheck
{
    public StoreFailure Failure { get; init; }

    public string? Reason { get; init; }

    public string? SopClassUid { get; init; }

    public string? SopInstanceUid { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? SeriesInstanceUid { get; init; }

    public bool IsValid => Failure == StoreFailure.None;
}
