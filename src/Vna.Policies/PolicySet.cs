using System.Globalization;
using Vna.Core;

namespace Vna.Policies;

/// <summary>
/// The policies in force: every active document's rules, ordered by precedence (then by document name, then by order in
/// the document), and the one default. Immutable: activation builds a new set, so a study is always evaluated against
/// one consistent set, and a refused document leaves the set in force untouched.
/// </summary>
public sealed class PolicySet
{
    private readonly PolicyRule[] _rules;

    private PolicySet(IReadOnlyList<PolicyDocument> documents, PolicyRule[] rules, PolicyRule? defaults)
    {
        Documents = documents;
        _rules = rules;
        Default = defaults;
        Version = documents.Count == 0
            ? "none"
            : string.Join(";", documents.Select(d => d.Name + "@" + d.Version));
    }

    /// <summary>No policy: nothing moves, nothing expires.</summary>
    public static PolicySet Empty { get; } = new([], [], null);

    public IReadOnlyList<PolicyDocument> Documents { get; }

    public IReadOnlyList<PolicyRule> Rules => _rules;

    public PolicyRule? Default { get; }

    /// <summary>"name@version;…" of every document, by name: recorded with every action taken under the set.</summary>
    public string Version { get; }

    /// <summary>Builds a set; more than one document declaring a default is an error.</summary>
    /// <exception cref="PolicyValidationException">Two documents declare a default, or two share a name.</exception>
    public static PolicySet Create(IEnumerable<PolicyDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var list = documents.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        var errors = new List<PolicyError>();
        foreach (var duplicate in list.GroupBy(d => d.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new PolicyError(0, 0, duplicate.Key, "two documents have this name"));
        }

        var defaults = list.Where(d => d.Default is not null).ToList();
        if (defaults.Count > 1)
        {
            errors.Add(new PolicyError(0, 0, "default", "only one active document may declare a default; these do: " + string.Join(", ", defaults.Select(d => d.Name))));
        }

        if (errors.Count > 0)
        {
            throw new PolicyValidationException("policy set", errors);
        }

        var rules = list
            .SelectMany((d, documentIndex) => d.Rules.Select((r, ruleIndex) => (r, documentIndex, ruleIndex)))
            .OrderByDescending(x => x.r.Precedence)
            .ThenBy(x => x.documentIndex)
            .ThenBy(x => x.ruleIndex)
            .Select(x => x.r)
            .ToArray();
        return new PolicySet(list, rules, defaults.FirstOrDefault()?.Default);
    }

    /// <summary>This set with <paramref name="document"/> added, or replacing the active document of the same name.</summary>
    public PolicySet With(PolicyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Create(Documents.Where(d => d.Name != document.Name).Append(document));
    }

    /// <summary>This set without the document named <paramref name="name"/>.</summary>
    public PolicySet Without(string name) => Create(Documents.Where(d => d.Name != name));

    /// <summary>The rule that governs <paramref name="study"/>: the first matching rule by precedence, else the default.</summary>
    public PolicyRule? Select(StudyFacts study)
    {
        var rules = _rules;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Match.Matches(study))
            {
                return rules[i];
            }
        }

        return Default;
    }

    /// <summary>What is due for <paramref name="study"/> at <paramref name="now"/>, and when the next step falls due.</summary>
    public LifecycleDecision Decide(StudyFacts study, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(study);
        var rule = Select(study);
        return Decide(study, rule, now);
    }

    /// <summary>As <see cref="Decide(StudyFacts, DateTimeOffset)"/> under a given rule (null: no policy).</summary>
    public static LifecycleDecision Decide(StudyFacts study, PolicyRule? rule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.State == StudyLifecycleState.Purged)
        {
            return new LifecycleDecision { Due = LifecycleStepKind.None, Rule = rule };
        }

        PolicyAction? warm = null;
        PolicyAction? cold = null;
        PolicyAction? expire = null;
        if (rule is not null)
        {
            var actions = rule.Actions;
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                switch (action.Kind)
                {
                    case PolicyActionKind.MoveToWarm: warm = action; break;
                    case PolicyActionKind.MoveToCold: cold = action; break;
                    default: expire = action; break;
                }
            }
        }

        var rejectAt = expire is null ? (DateTimeOffset?)null : At(expire, study, rule!);
        if (study.State == StudyLifecycleState.Rejected)
        {
            if (rejectAt is not { } due || due > now)
            {
                // The policies no longer expire it (yet): show it again; what follows is decided then.
                return new LifecycleDecision { Due = LifecycleStepKind.Restore, Rule = rule, NextAt = now, Reason = Why(rule, "no longer expires under", null) };
            }

            var purgeAt = expire!.Grace.AddTo(study.RejectedAt ?? now);
            if (study.OnLegalHold)
            {
                return new LifecycleDecision { Due = LifecycleStepKind.None, Rule = rule, BlockedByHold = purgeAt <= now, Reason = "legal hold" };
            }

            return purgeAt <= now
                ? new LifecycleDecision { Due = LifecycleStepKind.Purge, Rule = rule, Reason = Why(rule, $"purge after {expire.Grace} grace,", expire) }
                : new LifecycleDecision { Due = LifecycleStepKind.None, Rule = rule, NextAt = purgeAt, Reason = "grace period" };
        }

        DateTimeOffset? next = null;
        if (rejectAt is { } reject)
        {
            if (reject <= now && !study.OnLegalHold)
            {
                return new LifecycleDecision
                {
                    Due = LifecycleStepKind.Reject,
                    Rule = rule,
                    NextAt = expire!.Grace.AddTo(now),
                    Reason = Why(rule, $"expire after {expire.After}", expire),
                };
            }

            if (reject > now && !study.OnLegalHold)
            {
                next = reject;
            }
        }

        var blocked = rejectAt is { } r && r <= now && study.OnLegalHold;

        // The coldest tier whose move is due; a study only moves colder under a policy (recall is the tiers' business).
        var target = study.Tier;
        PolicyAction? move = null;
        if (cold is not null && study.Tier < StorageTier.Cold)
        {
            var at = At(cold, study, rule!);
            if (at <= now)
            {
                target = StorageTier.Cold;
                move = cold;
            }
            else
            {
                next = Earliest(next, at);
            }
        }

        if (move is null && warm is not null && study.Tier < StorageTier.Warm)
        {
            var at = At(warm, study, rule!);
            if (at <= now)
            {
                target = StorageTier.Warm;
                move = warm;
            }
            else
            {
                next = Earliest(next, at);
            }
        }

        if (move is not null)
        {
            return new LifecycleDecision
            {
                Due = LifecycleStepKind.Move,
                Target = target,
                TransferSyntaxUid = move.TransferSyntaxUid,
                Rule = rule,
                NextAt = next,
                BlockedByHold = blocked,
                Reason = Why(rule, $"move to {target.ToString().ToLowerInvariant()} after {move.After}", move),
            };
        }

        return new LifecycleDecision { Due = LifecycleStepKind.None, Rule = rule, NextAt = next, BlockedByHold = blocked, Reason = blocked ? "legal hold" : string.Empty };
    }

    /// <summary>When <paramref name="action"/> falls due for <paramref name="study"/>: its duration after the latest of its anchors.</summary>
    public static DateTimeOffset At(PolicyAction action, StudyFacts study, PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(rule);
        var from = DateTimeOffset.MinValue;
        var since = action.Since;
        for (var i = 0; i < since.Count; i++)
        {
            var at = Anchor(since[i], study, rule.AdulthoodAge);
            if (at > from)
            {
                from = at;
            }
        }

        return action.After.AddTo(from);
    }

    private static DateTimeOffset Anchor(PolicyAnchor anchor, StudyFacts study, int adulthoodAge)
    {
        var studyDate = study.StudyDate is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : study.FirstReceivedAt;
        return anchor switch
        {
            PolicyAnchor.StudyDate => studyDate,
            PolicyAnchor.Ingest => study.FirstReceivedAt,
            PolicyAnchor.LastAccess => study.LastAccessAt is { } last && last > study.FirstReceivedAt ? last : study.FirstReceivedAt,
            _ => study.PatientBirthDate is { } birth
                ? new DateTimeOffset(birth.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddYears(adulthoodAge)
                : studyDate,
        };
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;

    private static string Why(PolicyRule? rule, string what, PolicyAction? action)
    {
        var since = action is null ? string.Empty : " since " + string.Join("/", action.Since.Select(s => s.ToString()));
        return rule is null
            ? what + since
            : string.Create(CultureInfo.InvariantCulture, $"rule '{rule.Name}' of {rule.DocumentName}@{rule.DocumentVersion}: {what}{since}");
    }
}
