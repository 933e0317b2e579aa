namespace Vna.Core;

/// <summary>Query/Retrieve Level (0008,0052).</summary>
public enum QueryLevel
{
    Patient = 0,
    Study = 1,
    Series = 2,
    Image = 3,
}
