namespace Vna.Dicom.Generators;

/// <summary>
/// The checked-in corrections applied on top of the pydicom data (<c>supplement.tsv</c>): registry entries newer than the
/// source's edition. Tab-separated, '#' starts a comment line. Rows:
/// <code>
/// uid  &lt;UID&gt;  &lt;Keyword&gt;  &lt;type as in PS3.6 Table A-1&gt;  current|retired  &lt;Name&gt;
/// tag  &lt;ggggeeee, x for a wildcard nibble&gt;  &lt;VR, e.g. "US or SS"&gt;  &lt;VM&gt;  &lt;Keyword&gt;  current|retired  &lt;Name&gt;
/// </code>
/// A row replaces the source's entry with the same UID or tag pattern, or adds one.
/// </summary>
internal sealed class Supplement
{
    public List<RegisteredUid> Uids { get; } = [];

    public List<PublicTag> Tags { get; } = [];

    public int Count => Uids.Count + Tags.Count;

    public static Supplement Read(string path)
    {
        var supplement = new Supplement();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var f = line.Split('\t');
            try
            {
                switch (f[0])
                {
                    case "uid" when f.Length == 6:
                        supplement.Uids.Add(new RegisteredUid(f[1].Trim(), f[5].Trim(), f[2].Trim(), UidTypes.Map(f[3]), ParseStatus(f[4])));
                        break;
                    case "tag" when f.Length == 7:
                        supplement.Tags.Add(new PublicTag(
                            TagPattern.Parse(f[1].Trim()),
                            ValueRepresentations.Parse(f[2]),
                            f[3].Trim(),
                            f[6].Trim(),
                            f[4].Trim(),
                            ParseStatus(f[5])));
                        break;
                    default:
                        throw new FormatException($"expected 'uid' with 6 or 'tag' with 7 tab-separated fields, got '{f[0]}' with {f.Length}");
                }
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{path}:{lineNumber}: {ex.Message}", ex);
            }
        }

        return supplement;
    }

    /// <summary>Replaces or adds the supplement's UIDs; returns how many were replaced.</summary>
    public int ApplyTo(List<RegisteredUid> uids)
    {
        var replaced = 0;
        foreach (var uid in Uids)
        {
            var index = uids.FindIndex(u => u.Value == uid.Value);
            if (index >= 0)
            {
                uids[index] = uid;
                replaced++;
            }
            else
            {
                uids.Add(uid);
            }
        }

        return replaced;
    }

    /// <summary>Replaces or adds the supplement's tags; returns how many were replaced.</summary>
    public int ApplyTo(List<PublicTag> tags)
    {
        var replaced = 0;
        foreach (var tag in Tags)
        {
            var index = tags.FindIndex(t => t.Tag == tag.Tag);
            if (index >= 0)
            {
                tags[index] = tag;
                replaced++;
            }
            else
            {
                tags.Add(tag);
            }
        }

        return replaced;
    }

    private static bool ParseStatus(string text) => text.Trim() switch
    {
        "current" => false,
        "retired" => true,
        _ => throw new FormatException($"status must be 'current' or 'retired', not '{text}'"),
    };
}
