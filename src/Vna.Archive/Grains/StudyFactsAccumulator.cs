using Vna.Core;

namespace Vna.Archive.Grains;

/// <summary>
/// What a study's policy facts take from its instances — the distinct modalities, body parts and SOP classes, the first
/// instance's attributes, the lowest tier holding a copy — kept up to date as instances are added, so that evaluating the
/// policy at each registration does not walk the whole study (a 10,000-instance study would otherwise cost 10,000 steps
/// per C-STORE). Anything but the addition of a new instance (a replaced copy, a tier move, a purge) is handled by the
/// grain dropping the accumulator; the next evaluation rebuilds it from the placement map, with the same result as
/// adding the instances one by one in the map's order.
/// </summary>
internal sealed class StudyFactsAccumulator
{
    private readonly List<string> _modalities = new(2);
    private readonly List<string> _bodyParts = new(2);
    private readonly List<string> _sopClasses = new(2);

    /// <summary>The attributes of the first instance added (the study-level values the policy reads), or null when none.</summary>
    public InstanceAttributes? First { get; private set; }

    /// <summary>The lowest (hottest) tier holding one of the instances added; <see cref="StorageTier.Cold"/> when none.</summary>
    public StorageTier LowestTier { get; private set; } = StorageTier.Cold;

    /// <summary>Distinct modalities, upper case, in the order first seen.</summary>
    public IReadOnlyList<string> Modalities => _modalities;

    /// <summary>Distinct body parts examined, upper case, in the order first seen.</summary>
    public IReadOnlyList<string> BodyParts => _bodyParts;

    /// <summary>Distinct SOP class UIDs, in the order first seen.</summary>
    public IReadOnlyList<string> SopClasses => _sopClasses;

    public static StudyFactsAccumulator From(IEnumerable<StoredInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var accumulator = new StudyFactsAccumulator();
        foreach (var instance in instances)
        {
            accumulator.Add(instance);
        }

        return accumulator;
    }

    public void Add(StoredInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var a = instance.Attributes;
        First ??= a;
        AddDistinct(_modalities, a.Modality);
        AddDistinct(_bodyParts, a.BodyPartExamined);
        AddDistinct(_sopClasses, a.SopClassUid);
        if (instance.Tier < LowestTier)
        {
            LowestTier = instance.Tier;
        }
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (value.Length > 0 && !list.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            list.Add(value.ToUpperInvariant());
        }
    }
}
