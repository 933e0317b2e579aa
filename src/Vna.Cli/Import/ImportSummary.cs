namespace Vna.Cli.Import;

/// <summary>The tally of an import (safe to add to from several senders): counts per outcome, rejected files grouped by reason.</summary>
internal sealed class ImportSummary
{
    private readonly List<ImportFileOutcome> _outcomes = [];
    private readonly Lock _lock = new();

    public int Skipped { get; set; }

    public int Total
    {
        get
        {
            lock (_lock)
            {
                return _outcomes.Count;
            }
        }
    }

    public bool AnyRejected
    {
        get
        {
            lock (_lock)
            {
                return _outcomes.Any(o => o.IsRejected);
            }
        }
    }

    public int Count(ImportStatus status)
    {
        lock (_lock)
        {
            return _outcomes.Count(o => o.Status == status);
        }
    }

    public void Add(ImportFileOutcome outcome)
    {
        lock (_lock)
        {
            _outcomes.Add(outcome);
        }
    }

    /// <summary>Rejected files by category, largest group first; within a group in path order.</summary>
    public IReadOnlyList<IGrouping<string, ImportFileOutcome>> RejectedByCategory()
    {
        lock (_lock)
        {
            return _outcomes.Where(o => o.IsRejected)
                .OrderBy(o => o.Path, StringComparer.Ordinal)
                .GroupBy(o => o.Category ?? "Rejected", StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The rows of the summary table: label and count.</summary>
    public IReadOnlyList<(string Label, int Count)> Rows() =>
    [
        ("stored", Count(ImportStatus.Stored)),
        ("duplicates", Count(ImportStatus.Duplicate)),
        ("replaced", Count(ImportStatus.Replaced)),
        ("kept first", Count(ImportStatus.KeptFirst)),
        ("rejected", Count(ImportStatus.Rejected)),
    ];
}
