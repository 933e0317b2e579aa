using BenchmarkDotNet.Attributes;
using Vna.Policies;

namespace Vna.Benchmarks;

/// <summary>
/// Policy evaluation over 100,000 studies under the shipped policies (default, mammography, pediatric, research-hold):
/// choosing each study's rule, deciding what is due now and when next (what a study grain does on every evaluation), and
/// the 30-day preview an officer runs before activating (every study walked forward through the steps it would take).
/// The archive's facts are in memory: the preview's database read is measured separately (tests/bench/README.md).
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private PolicySet _set = PolicySet.Empty;
    private StudyFacts[] _studies = [];

    [Params(100_000)]
    public int Studies { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _set = PolicyBenchmarkData.ShippedPolicies();
        _studies = PolicyBenchmarkData.Studies(Studies);
    }

    /// <summary>The rule of every study (precedence order, first match).</summary>
    [Benchmark]
    public int SelectRule()
    {
        var matched = 0;
        foreach (var study in _studies)
        {
            if (_set.Select(study) is { Precedence: > int.MinValue })
            {
                matched++;
            }
        }

        return matched;
    }

    /// <summary>What is due now and when the next step falls due, for every study.</summary>
    [Benchmark]
    public int Decide()
    {
        var due = 0;
        foreach (var study in _studies)
        {
            if (_set.Decide(study, PolicyBenchmarkData.Now).Due != LifecycleStepKind.None)
            {
                due++;
            }
        }

        return due;
    }

    /// <summary>The preview over 30 days: counts and bytes per action and tier, and the first 1,000 steps listed.</summary>
    [Benchmark]
    public PreviewReport Preview30Days() => PolicyPreview.Run(_set, _studies, PolicyBenchmarkData.Now, days: 30, studyLimit: 1000);
}
