namespace Vna.Dicom;

/// <summary>
/// A PN value (PS3.5 6.2.1): up to three component groups (alphabetic, ideographic, phonetic) separated by '=',
/// each with up to five components (family, given, middle, prefix, suffix) separated by '^'.
/// </summary>
public sealed record DicomPersonName(string Alphabetic, string Ideographic, string Phonetic)
{
    public string FamilyName => Component(Alphabetic, 0);

    public string GivenName => Component(Alphabetic, 1);

    public string MiddleName => Component(Alphabetic, 2);

    public string NamePrefix => Component(Alphabetic, 3);

    public string NameSuffix => Component(Alphabetic, 4);

    /// <summary>The five components of a group (0 alphabetic, 1 ideographic, 2 phonetic), empty strings where absent.</summary>
    public string[] GetComponents(int group)
    {
        var text = group switch
        {
            0 => Alphabetic,
            1 => Ideographic,
            2 => Phonetic,
            _ => throw new ArgumentOutOfRangeException(nameof(group)),
        };

        var result = new string[5];
        var parts = text.Split('^');
        for (var i = 0; i < 5; i++)
        {
            result[i] = i < parts.Length ? parts[i] : string.Empty;
        }

        return result;
    }

    public static DicomPersonName Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var groups = value.Split('=');
        return new DicomPersonName(
            groups.Length > 0 ? groups[0] : string.Empty,
            groups.Length > 1 ? groups[1] : string.Empty,
            groups.Length > 2 ? groups[2] : string.Empty);
    }

    /// <summary>The value as encoded: trailing empty groups and components dropped.</summary>
    public override string ToString()
    {
        var groups = new[] { Alphabetic, Ideographic, Phonetic };
        var last = groups.Length - 1;
        while (last > 0 && groups[last].Length == 0)
        {
            last--;
        }

        return string.Join('=', groups[..(last + 1)]);
    }

    private static string Component(string group, int index)
    {
        var parts = group.Split('^');
        return index < parts.Length ? parts[index] : string.Empty;
    }
}
