using System.Collections.Frozen;

namespace Vna.Dicom;

/// <summary>
/// The public data dictionary and the dictionary of well-known private attributes.
/// The entries are generated (public and private tables, both in <c>Generated/DicomDictionary.g.cs</c>) by <c>src/Vna.Dicom.Generators</c>.
/// </summary>
public static partial class DicomDictionary
{
    // Three tables, each built on its first use, because most processes need only the first: a parser needs the VR and
    // name of the few dozen tags a file holds, not 5,000 entries, 8,425 private ones and a keyword index. The public
    // index is a sorted array of tags pointing into the generated text table; an entry is parsed from its line when it
    // is first asked for and kept. (Building every entry into frozen dictionaries cost ~40 ms of a `vna dump` start.)
    private static readonly Lazy<PublicIndex> s_public = new(PublicIndex.Build);
    private static readonly Lazy<FrozenDictionary<string, DicomDictionaryEntry>> s_byKeyword = new(BuildKeywordIndex);
    private static readonly Lazy<Dictionary<PrivateKey, DicomDictionaryEntry>> s_private = new(BuildPrivateIndex);

    /// <summary>Every public entry, exact tags and repeating-group masks alike.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => s_public.Value.All;

    /// <summary>The entry for a public tag; repeating groups ((60xx,3000), (50xx,xxxx)…), group lengths and private creators are resolved too.</summary>
    public static DicomDictionaryEntry? Lookup(DicomTag tag)
    {
        var index = s_public.Value;
        if (index.TryGetExact(tag.Value) is { } entry)
        {
            return entry;
        }

        foreach (var masked in index.Masked)
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
        return s_private.Value.TryGetValue(key, out var entry) ? entry : null;
    }

    public static DicomDictionaryEntry? LookupKeyword(string keyword) =>
        s_byKeyword.Value.TryGetValue(keyword, out var entry) ? entry : null;

    /// <summary>The VR to assume for a tag read without one: the dictionary's, else UN.</summary>
    public static DicomVR ImplicitVR(DicomTag tag) => Lookup(tag)?.VR ?? DicomVR.UN;

    private static DicomDictionaryEntry PrivateCreatorEntry(DicomTag tag) =>
        new(tag, 0xFFFFFFFF, [DicomVR.LO], "1", "Private Creator", "PrivateCreator", false);

    private static FrozenDictionary<string, DicomDictionaryEntry> BuildKeywordIndex()
    {
        var byKeyword = new Dictionary<string, DicomDictionaryEntry>(StringComparer.Ordinal);
        foreach (var e in s_public.Value.All)
        {
            if (e.Keyword.Length > 0)
            {
                byKeyword.TryAdd(e.Keyword, e);
            }
        }

        return byKeyword.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static Dictionary<PrivateKey, DicomDictionaryEntry> BuildPrivateIndex()
    {
        var entries = CreatePrivateEntries();
        var privateEntries = new Dictionary<PrivateKey, DicomDictionaryEntry>(entries.Length);
        foreach (var (creator, entry) in entries)
        {
            privateEntries.TryAdd(new PrivateKey(creator, entry.Tag.Group, (byte)entry.Tag.Element), entry);
        }

        return privateEntries;
    }

    /// <summary>Implemented by the generated file: (private creator, entry whose tag is (gggg,00ee)).</summary>
    private static partial (string Creator, DicomDictionaryEntry Entry)[] CreatePrivateEntries();

    private readonly record struct PrivateKey(string Creator, ushort Group, byte Element);

    /// <summary>
    /// The exact public tags, sorted, each with the position of its line in <see cref="PublicTable"/>; entries parsed on
    /// demand into <see cref="_entries"/> (a benign race: two threads may parse the same line, both results are equal).
    /// </summary>
    private sealed class PublicIndex
    {
        private readonly uint[] _tags;
        private readonly int[] _lineStarts;
        private readonly DicomDictionaryEntry?[] _entries;
        private readonly Lazy<DicomDictionaryEntry[]> _all;

        private PublicIndex(uint[] tags, int[] lineStarts, DicomDictionaryEntry[] masked)
        {
            _tags = tags;
            _lineStarts = lineStarts;
            _entries = new DicomDictionaryEntry?[tags.Length];
            Masked = masked;
            _all = new Lazy<DicomDictionaryEntry[]>(BuildAll);
        }

        public DicomDictionaryEntry[] Masked { get; }

        /// <summary>Every entry in table order; exact entries are the ones <see cref="TryGetExact"/> returns.</summary>
        public DicomDictionaryEntry[] All => _all.Value;

        public static PublicIndex Build()
        {
            var table = PublicTable.AsSpan();
            var tags = new List<uint>(5000);
            var starts = new List<int>(5000);
            var masked = new List<DicomDictionaryEntry>();
            var sorted = true;
            var position = 0;
            while (position < table.Length)
            {
                var length = table[position..].IndexOfAny('\r', '\n');
                var line = length < 0 ? table[position..] : table.Slice(position, length);
                if (line.Length > 9)
                {
                    if (line[9] == '|')
                    {
                        var tag = ParseHex(line[..8]);
                        sorted &= tags.Count == 0 || tags[^1] < tag;
                        tags.Add(tag);
                        starts.Add(position);
                    }
                    else
                    {
                        masked.Add(ParsePublicEntry(line, null));
                    }
                }

                position += length < 0 ? line.Length : length + 1;
            }

            var tagArray = tags.ToArray();
            var startArray = starts.ToArray();
            if (!sorted)
            {
                Array.Sort(tagArray, startArray);
            }

            return new PublicIndex(tagArray, startArray, masked.ToArray());
        }

        public DicomDictionaryEntry? TryGetExact(uint tag)
        {
            var i = Array.BinarySearch(_tags, tag);
            return i < 0 ? null : _entries[i] ?? Parse(i);
        }

        private DicomDictionaryEntry Parse(int i)
        {
            var rest = PublicTable.AsSpan(_lineStarts[i]);
            var end = rest.IndexOfAny('\r', '\n');
            var entry = ParsePublicEntry(end < 0 ? rest : rest[..end], null);
            Volatile.Write(ref _entries[i], entry);
            return entry;
        }

        /// <summary>In the order of the generated table (tag order, repeating groups where their lowest tag falls).</summary>
        private DicomDictionaryEntry[] BuildAll()
        {
            var all = new DicomDictionaryEntry[_tags.Length + Masked.Length];
            var count = 0;
            var nextMasked = 0;
            foreach (var line in PublicTable.AsSpan().EnumerateLines())
            {
                if (line.Length > 9)
                {
                    all[count++] = line[9] == '|' ? TryGetExact(ParseHex(line[..8]))! : Masked[nextMasked++];
                }
            }

            return count == all.Length ? all : all[..count];
        }
    }
}
