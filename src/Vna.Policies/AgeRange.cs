namespace Vna.Policies;

/// <summary>The patient's age in whole years on the study date, both bounds inclusive.</summary>
public sealed record AgeRange(int? Min, int? Max)
{
    public bool Contains(int age) => (Min is not { } min || age >= min) && (Max is not { } max || age <= max);
}
