using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Query;

/// <summary>An <see cref="IndexQuery"/> as SQL: the count, the page, their parameters and how to build each match's data set.</summary>
internal sealed class TranslatedQuery
{
    public required QueryLevel Level { get; init; }

    /// <summary>SELECT count(*) of every match; parameters <see cref="Parameters"/>.</summary>
    public required string CountSql { get; init; }

    /// <summary>The page: <see cref="Fields"/> in order; parameters <see cref="Parameters"/> then limit and offset.</summary>
    public required string PageSql { get; init; }

    public required SqlParameters Parameters { get; init; }

    public required IReadOnlyList<ReturnField> Fields { get; init; }

    public required IReadOnlyList<EmptyReturnKey> EmptyKeys { get; init; }

    public required IReadOnlyList<DicomTag> IgnoredKeys { get; init; }

    public required int Offset { get; init; }

    public required int Limit { get; init; }
}
