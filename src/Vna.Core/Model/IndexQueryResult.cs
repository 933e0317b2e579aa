using Vna.Dicom;

namespace Vna.Core;

/// <summary>The matches of an <see cref="IndexQuery"/>: one data set per match, at the query's level.</summary>
public sealed record IndexQueryResult
{
    public required IReadOnlyList<DicomDataset> Matches { get; init; }

    /// <summary>How many matches there are in all (before offset and limit).</summary>
    public required long TotalCount { get; init; }

    /// <summary>Matching keys the index cannot match on (ignored, as PS3.4 allows for optional keys); QIDO-RS reports them in a Warning header.</summary>
    public IReadOnlyList<DicomTag> IgnoredKeys { get; init; } = [];
}
