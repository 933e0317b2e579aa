using System.Text.RegularExpressions;

namespace Vna.Policies;

/// <summary>
/// Which studies a rule selects: every condition given must hold; within a list any value will do. Matching is on the
/// study's facts only, with no allocation (it runs for every study in a preview).
/// </summary>
public sealed record StudySelector
{
    public IReadOnlyList<string> Modalities { get; init; } = [];

    public IReadOnlyList<string> Departments { get; init; } = [];

    /// <summary>Upper-case (Body Part Examined is a code string).</summary>
    public IReadOnlyList<string> BodyParts { get; init; } = [];

    public Regex? StudyDescription { get; init; }

    public AgeRange? PatientAge { get; init; }

    public IReadOnlyList<string> SopClasses { get; init; } = [];

    public bool Matches(StudyFacts study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (Modalities.Count > 0 && !AnyOf(Modalities, study.Modalities, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Departments.Count > 0 && !AnyOf(Departments, study.Departments, StringComparison.Ordinal))
        {
            return false;
        }

        if (BodyParts.Count > 0 && !AnyOf(BodyParts, study.BodyParts, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (SopClasses.Count > 0 && !AnyOf(SopClasses, study.SopClasses, StringComparison.Ordinal))
        {
            return false;
        }

        if (PatientAge is { } range && (study.PatientAgeAtStudy() is not { } age || !range.Contains(age)))
        {
            return false;
        }

        return StudyDescription is null || StudyDescription.IsMatch(study.StudyDescription);
    }

    private static bool AnyOf(IReadOnlyList<string> wanted, IReadOnlyList<string> present, StringComparison comparison)
    {
        for (var i = 0; i < wanted.Count; i++)
        {
            for (var j = 0; j < present.Count; j++)
            {
                if (string.Equals(wanted[i], present[j], comparison))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
