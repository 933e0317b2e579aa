using System.Globalization;
using System.Text;
using Vna.Cli.QueryRetrieve;

namespace Vna.Cli.Store;

/// <summary>The counts <c>vna store</c> reports at the end (thread-safe: several associations add to it).</summary>
internal sealed class StoreSummary
{
    private readonly Lock _gate = new();
    private readonly List<StoreOutcome> _failures = [];
    private readonly List<StoreOutcome> _warnings = [];
    private readonly List<StoreOutcome> _skipped = [];

    public int Stored { get; private set; }

    public int Warnings { get; private set; }

    public int Failed { get; private set; }

    public long Bytes { get; private set; }

    public int Total => Stored + Warnings + Failed;

    /// <summary>Files found in folders that are not DICOM objects (not counted as failures).</summary>
    public int Skipped => _skipped.Count;

    public void Skip(StoreOutcome outcome)
    {
        lock (_gate)
        {
            _skipped.Add(outcome);
        }
    }

    public IReadOnlyList<StoreOutcome> Failures => _failures;

    public void Add(StoreOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            if (outcome.IsFailure)
            {
                Failed++;
                _failures.Add(outcome);
                return;
            }

            Bytes += outcome.Size;
            if (outcome.IsWarning)
            {
                Warnings++;
                _warnings.Add(outcome);
            }
            else
            {
                Stored++;
            }
        }
    }

    public string Describe(TimeSpan elapsed, string where)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        var sent = Stored + Warnings;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Sent {Total} files to {where} in {elapsed.TotalSeconds:0.00} s: {Stored} stored, {Warnings} with a warning, {Failed} failed{(Skipped > 0 ? $", {Skipped} skipped (not DICOM)" : "")}; ")
            .Append(CultureInfo.InvariantCulture, $"{sent / seconds:0.0} instances/s, {Bytes / 1e6 / seconds:0.0} MB/s ({Bytes / 1e6:0.0} MB)\n");
        foreach (var outcome in _skipped.OrderBy(o => o.Path, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"skipped {outcome.Path}: {outcome.Reason}\n");
        }

        foreach (var outcome in _warnings.OrderBy(o => o.Path, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"warning {ScuSettings.Hex(outcome.Status!.Value)} {outcome.Path}{(outcome.Reason is null ? "" : ": " + outcome.Reason)}\n");
        }

        foreach (var outcome in _failures.OrderBy(o => o.Path, StringComparer.Ordinal))
        {
            var status = outcome.Status is { } s ? ScuSettings.Hex(s) + " " : "";
            text.Append(CultureInfo.InvariantCulture, $"failed {status}{outcome.Path}: {outcome.Reason ?? "refused"}\n");
        }

        return text.ToString();
    }
}
