using Vna.Core;

namespace Vna.Cli.Import;

/// <summary>The tally of an import: counts per outcome and the rejected files grouped by reason.</summary>
internal sealed class ImportSummary
{
    private readonly List<ImportFileOutcome> _outcomes = [];

    public int Skipped { get; set; }

    public int Count(StoreStatus status) => _outcomes.Count(o => o.Status == status);

    public int Total => _outcomes.Count;

    public bool AnyRejected => _outcomes.Any(o => o.IsRejected);

    public void Add(ImportFileOutcome outcome) => _outcomes.Add(outcome);

    /// <summary>Rejected files by category (the store failure, or NotFound / Unreadable), largest group first.</summary>
    public IReadOnlyList<IGrouping<string, ImportFileOutcome>> RejectedByCategory() =>
        _outcomes.Where(o => o.IsRejected)
            .GroupBy(o => o.Category ?? "Rejected", StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>The rows of the summary table: label and count.</summary>
    public IReadOnlyList<(string Label, int Count)> Rows() =>
    [
        ("stored", Count(StoreStatus.Stored)),
        ("duplicates", Count(StoreStatus.Duplicate)),
        ("replaced", Count(StoreStatus.Replaced)),
        ("kept first", Count(StoreStatus.KeptFirst)),
        ("rejected", Count(StoreStatus.Rejected)),
    ];
}
