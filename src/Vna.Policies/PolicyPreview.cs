using Vna.Core;

namespace Vna.Policies;

/// <summary>
/// Runs a set of policies forward over the archive's studies, without touching anything: for each study, the steps it
/// would take from now to the end of the window, each applied to a copy of its facts (a move changes its tier, a
/// rejection starts its grace period) so that later steps are timed as the engine would time them.
/// </summary>
public static class PolicyPreview
{
    /// <summary>The most steps one study can take in a window (warm, cold, reject, purge and a restore).</summary>
    private const int MaxStepsPerStudy = 6;

    public static PreviewReport Run(PolicySet set, IReadOnlyList<StudyFacts> studies, DateTimeOffset now, int days, int studyLimit = 1000)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(studies);
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var horizon = now.AddDays(days);
        var today = new Dictionary<(string, string, string?), (int Studies, long Bytes)>();
        var window = new Dictionary<(string, string, string?), (int Studies, long Bytes)>();
        var steps = new List<PreviewStudy>(Math.Min(studyLimit, 1024));
        var stepCount = 0;
        var archiveStudies = 0;
        long archiveBytes = 0;
        var expiring = 0;
        var held = 0;
        var unprotected = 0;
        var unprotectedExpiring = 0;
        foreach (var original in studies)
        {
            if (original.State == StudyLifecycleState.Purged)
            {
                continue;
            }

            archiveStudies++;
            archiveBytes += original.TotalBytes;
            if (!original.OnLegalHold)
            {
                unprotected++;
            }

            var facts = original;
            var t = now;
            var expires = false;
            for (var i = 0; i < MaxStepsPerStudy; i++)
            {
                var decision = set.Decide(facts, t);
                if (decision.BlockedByHold && i == 0)
                {
                    held++;
                }

                if (decision.Due == LifecycleStepKind.None)
                {
                    if (decision.NextAt is { } next && next <= horizon && next > t)
                    {
                        t = next;
                        continue;
                    }

                    break;
                }

                var action = decision.Due switch
                {
                    LifecycleStepKind.Move => "move",
                    LifecycleStepKind.Reject => "reject",
                    LifecycleStepKind.Purge => "purge",
                    _ => "restore",
                };
                var tier = Name(facts.Tier);
                var target = decision.Due == LifecycleStepKind.Move ? Name(decision.Target) : null;
                var isToday = t == now;
                var key = (action, tier, target);
                Add(window, key, facts.TotalBytes);
                if (isToday)
                {
                    Add(today, key, facts.TotalBytes);
                }

                stepCount++;
                if (steps.Count < studyLimit)
                {
                    var rule = decision.Rule is { } r ? $"{r.Name} ({r.DocumentName}@{r.DocumentVersion})" : null;
                    steps.Add(new PreviewStudy(facts.StudyInstanceUid, t, action, tier, target, rule, facts.TotalBytes, isToday));
                }

                switch (decision.Due)
                {
                    case LifecycleStepKind.Move:
                        facts = facts with { Tier = decision.Target };
                        break;
                    case LifecycleStepKind.Reject:
                        expires = true;
                        facts = facts with { State = StudyLifecycleState.Rejected, RejectedAt = t };
                        break;
                    case LifecycleStepKind.Purge:
                        expires = true;
                        facts = facts with { State = StudyLifecycleState.Purged };
                        break;
                    default:
                        facts = facts with { State = StudyLifecycleState.Active, RejectedAt = null };
                        break;
                }
            }

            if (expires)
            {
                expiring++;
                if (!original.OnLegalHold)
                {
                    unprotectedExpiring++;
                }
            }
            else if (original.State == StudyLifecycleState.Rejected && !original.OnLegalHold)
            {
                unprotectedExpiring++; // already rejected and staying so
            }
        }

        return new PreviewReport
        {
            PolicyVersion = set.Version,
            At = now,
            Days = days,
            ArchiveStudies = archiveStudies,
            ArchiveBytes = archiveBytes,
            Today = Lines(today),
            Window = Lines(window),
            StudiesExpiring = expiring,
            StudiesHeld = held,
            ExpiresEverything = unprotected > 0 && unprotectedExpiring == unprotected,
            StudyLimit = studyLimit,
            StepCount = stepCount,
            Steps = steps,
        };
    }

    private static void Add(Dictionary<(string, string, string?), (int Studies, long Bytes)> totals, (string, string, string?) key, long bytes)
    {
        totals.TryGetValue(key, out var total);
        totals[key] = (total.Studies + 1, total.Bytes + bytes);
    }

    private static List<PreviewLine> Lines(Dictionary<(string Action, string Tier, string? Target), (int Studies, long Bytes)> totals) =>
        [.. totals
            .Select(kv => new PreviewLine(kv.Key.Action, kv.Key.Tier, kv.Key.Target, kv.Value.Studies, kv.Value.Bytes))
            .OrderBy(l => l.Action, StringComparer.Ordinal)
            .ThenBy(l => l.Tier, StringComparer.Ordinal)
            .ThenBy(l => l.Target, StringComparer.Ordinal)];

    private static string Name(StorageTier tier) => tier switch
    {
        StorageTier.Hot => "hot",
        StorageTier.Warm => "warm",
        _ => "cold",
    };
}
