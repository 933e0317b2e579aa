namespace Vna.Dicom.Generators;

/// <summary>Parses the VR text of the sources ("US or SS", "OB_OW", "NONE") into VR codes.</summary>
internal static class ValueRepresentations
{
    /// <summary>The 34 VRs of PS3.5 6.2 (the members of Vna.Dicom.DicomVR other than None).</summary>
    private static readonly HashSet<string> s_known = new(StringComparer.Ordinal)
    {
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV",
        "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    };

    /// <summary>
    /// The VRs in the order to list them. The first is the one assumed under implicit VR, so "OB or OW" is listed OW first:
    /// Pixel Data, Overlay Data, Waveform Data and the like are OW in Implicit VR Little Endian (PS3.5 8.1.2, 8.2, A.1),
    /// as DCMTK and other toolkits also read them. Items and delimiters ("NONE") have no VR.
    /// </summary>
    public static IReadOnlyList<string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var parts = trimmed
            .Replace(" or ", "|", StringComparison.Ordinal)
            .Replace('_', '|')
            .Replace('/', '|')
            .Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var list = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            var code = part.ToUpperInvariant();
            if (!s_known.Contains(code))
            {
                throw new FormatException($"Unknown VR '{part}' in '{text}'.");
            }

            if (!list.Contains(code))
            {
                list.Add(code);
            }
        }

        if (list is ["OB", "OW"])
        {
            list.Reverse();
        }

        return list;
    }
}
