using Vna.Dicom;

namespace Vna.Cli.QueryRetrieve;

/// <summary>Builds an identifier from <c>-k</c> keys: <c>Keyword=value</c>, <c>gggg,eeee=value</c>, or a bare keyword (a return key).</summary>
internal static class QueryKeys
{
    public static DicomDataset Build(string level, IEnumerable<string> keys, string? characterSet)
    {
        var identifier = new DicomDataset();
        if (characterSet is { Length: > 0 })
        {
            identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, characterSet.Split('\\'));
        }

        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, level.ToUpperInvariant());
        foreach (var key in keys)
        {
            var equals = key.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? key : key[..equals]).Trim();
            var value = equals < 0 ? string.Empty : key[(equals + 1)..];
            var tag = DicomDictionary.LookupKeyword(name)?.Tag
                ?? (DicomTag.TryParse(name.Trim('(', ')'), out var parsed) ? parsed : throw new ArgumentException($"'{name}' is neither a keyword nor a tag (gggg,eeee)."));
            var vr = DicomDictionary.Lookup(tag)?.VR ?? DicomVR.UN;
            if (vr == DicomVR.SQ)
            {
                identifier.AddOrUpdate(new DicomSequence(tag));
            }
            else if (value.Length == 0)
            {
                identifier.AddOrUpdate(new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty));
            }
            else
            {
                identifier.AddOrUpdate(tag, vr, value);
            }
        }

        return identifier;
    }
}
