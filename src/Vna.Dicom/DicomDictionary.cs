using System.Collections.Frozen;

namespace Vna.Dicom;

/// <summary>
/// The public data dictionary and the dictionary of well-known private attributes.
/// The entries are generated (public and private tables, both in <c>Generated/DicomDictionary.g.cs</c>) by <c>src/Vna.Dicom.Generators</c>.
/// </summary>
public static partial class DicomDictionary
{
    private static readonly Lazy<Tables> s_tables = new(BuildTables);

    /// <summary>Every public entry, exact tags and repeating-group masks alike.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => s_tables.Value.All;

    /// <summary>The entry for a public tag; repeating groups ((60xx,3000), (50xx,xxxx)…), group lengths and private creators are resolved too.</summary>
    public static DicomDictionaryEntry? Lookup(DicomTag tag)
    {
        var tables = s_tables.Value;
        if (tables.Exact.TryGetValue(tag.Value, out var entry))
        {
            return entry;
        }

        foreach (var masked in tables.Masked)
        {
            if (masked.Matches(tag))
            {
                return masked;
            }
        }

        if (tag.IsPrivateCreator)
        {
            return PrivateCreatorEntry(tag);
        }

        if (tag.IsGroupLength)
        {
            return new DicomDictionaryEntry(tag, 0xFFFFFFFF, [DicomVR.UL], "1", "Group Length", "GenericGroupLength", false);
        }

        return null;
    }

    /// <summary>The entry of a private data element by its private creator (the value of (gggg,00xx)).</summary>
    public static DicomDictionaryEntry? LookupPrivate(DicomTag tag, string? privateCreator)
    {
        if (string.IsNullOrEmpty(privateCreator) || !tag.IsPrivate || tag.Element < 0x1000)
        {
            return null;
        }

        var key = new PrivateKey(privateCreator.Trim(), tag.Group, (byte)tag.Element);
        return s_tables.Value.Private.TryGetValue(key, out var entry) ? entry : null;
    }

    public static DicomDictionaryEntry? LookupKeyword(string keyword) =>
        s_tables.Value.ByKeyword.TryGetValue(keyword, out var entry) ? entry : null;

    /// <summary>The VR to assume for a tag read without one: the dictionary's, else UN.</summary>
    public static DicomVR ImplicitVR(DicomTag tag) => Lookup(tag)?.VR ?? DicomVR.UN;

    private static DicomDictionaryEntry PrivateCreatorEntry(DicomTag tag) =>
        new(tag, 0xFFFFFFFF, [DicomVR.LO], "1", "Private Creator", "PrivateCreator", false);

    private static Tables BuildTables()
    {
        var all = CreatePublicEntries();
        var exact = new Dictionary<uint, DicomDictionaryEntry>(all.Length);
        var masked = new List<DicomDictionaryEntry>();
        var byKeyword = new Dictionary<string, DicomDictionaryEntry>(StringComparer.Ordinal);
        foreach (var e in all)
        {
            if (e.Mask == 0xFFFFFFFF)
            {
                exact[e.Tag.Value] = e;
            }
            else
            {
                masked.Add(e);
            }

            if (e.Keyword.Length > 0)
            {
                byKeyword.TryAdd(e.Keyword, e);
            }
        }

        var privateEntries = new Dictionary<PrivateKey, DicomDictionaryEntry>();
        foreach (var (creator, entry) in CreatePrivateEntries())
        {
            privateEntries.TryAdd(new PrivateKey(creator, entry.Tag.Group, (byte)entry.Tag.Element), entry);
        }

        return new Tables(
            all,
            exact.ToFrozenDictionary(),
            masked.ToArray(),
            byKeyword.ToFrozenDictionary(StringComparer.Ordinal),
            privateEntries.ToFrozenDictionary());
    }

    /// <summary>Implemented by the generated file.</summary>
    private static partial DicomDictionaryEntry[] CreatePublicEntries();

    /// <summary>Implemented by the generated file: (private creator, entry whose tag is (gggg,00ee)).</summary>
    private static partial (string Creator, DicomDictionaryEntry Entry)[] CreatePrivateEntries();

    private readonly record struct PrivateKey(string Creator, ushort Group, byte Element);

    private sealed record Tables(
        DicomDictionaryEntry[] All,
        FrozenDictionary<uint, DicomDictionaryEntry> Exact,
        DicomDictionaryEntry[] Masked,
        FrozenDictionary<string, DicomDictionaryEntry> ByKeyword,
        FrozenDictionary<PrivateKey, DicomDictionaryEntry> Private);
}
