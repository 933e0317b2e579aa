using System.Text;

namespace Vna.Dicom.Generators;

/// <summary>Reads the sources, applies the supplement and writes (or, with --check, compares) the generated files.</summary>
internal static class Generator
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static int Run(GeneratorOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);

        var version = SourceVersion.Read(Path.GetDirectoryName(options.DicomDictPath)!);
        var supplement = Supplement.Read(options.SupplementPath);
        var provenance = new Provenance(version, Path.GetFileName(options.SupplementPath), supplement.Count);

        var publicTags = PydicomDictionaryReader.ReadPublic(options.DicomDictPath);
        var replacedTags = supplement.ApplyTo(publicTags);
        publicTags.Sort((a, b) => a.Tag.Value != b.Tag.Value ? a.Tag.Value.CompareTo(b.Tag.Value) : b.Tag.Mask.CompareTo(a.Tag.Mask));
        var duplicateTag = publicTags.Zip(publicTags.Skip(1)).FirstOrDefault(p => p.First.Tag == p.Second.Tag);
        if (duplicateTag != default)
        {
            throw new FormatException($"Tag {duplicateTag.First.Tag} is listed twice.");
        }

        var privateTags = PydicomDictionaryReader.ReadPrivate(options.PrivateDictPath, out var skippedPrivate);
        var privateCount = privateTags.Count;
        privateTags = privateTags
            .DistinctBy(t => (t.Creator, t.Group, t.Element))
            .OrderBy(t => t.Creator, StringComparer.Ordinal)
            .ThenBy(t => t.Group)
            .ThenBy(t => t.Element)
            .ToList();

        var uids = PydicomUidReader.Read(options.UidDictPath);
        var replacedUids = supplement.ApplyTo(uids);
        uids.Sort((a, b) => UidComparer.Instance.Compare(a.Value, b.Value));
        var duplicateUid = uids.Zip(uids.Skip(1)).FirstOrDefault(p => p.First.Value == p.Second.Value);
        if (duplicateUid != default)
        {
            throw new FormatException($"UID {duplicateUid.First.Value} is listed twice.");
        }

        var dictionaryReserved = ReservedMembers.Scan(options.SourceDirectory, "class", "DicomDictionary");
        var clash = DictionaryEmitter.GeneratedMembers
            .Where(dictionaryReserved.Contains)
            .ToList();
        if (clash.Count > 0)
        {
            throw new InvalidOperationException($"DicomDictionary already declares {string.Join(", ", clash)}, which the generated part uses.");
        }

        var tagFields = TagConstantsEmitter.Select(publicTags, ReservedMembers.Scan(options.SourceDirectory, "struct", "DicomTag"), out var skippedTags);
        var files = new (string Name, string Text)[]
        {
            ("DicomDictionary.g.cs", DictionaryEmitter.Emit(publicTags, privateTags, provenance)),
            ("DicomTag.g.cs", TagConstantsEmitter.Emit(tagFields, skippedTags, provenance)),
            ("DicomUid.g.cs", UidRegistryEmitter.Emit(uids, ReservedMembers.Scan(options.SourceDirectory, "record", "DicomUid"), provenance, out var skippedUids)),
        };

        log.WriteLine($"source:     {version} from {Path.GetDirectoryName(options.DicomDictPath)}");
        log.WriteLine($"supplement: {options.SupplementPath}: {supplement.Tags.Count} tags ({replacedTags} replaced), {supplement.Uids.Count} UIDs ({replacedUids} replaced)");
        log.WriteLine($"public:     {publicTags.Count} entries ({publicTags.Count(t => t.Tag.IsExact)} exact, {publicTags.Count(t => !t.Tag.IsExact)} masked)");
        log.WriteLine($"tags:       {tagFields.Count} DicomTag fields; left out: {string.Join(", ", skippedTags)}");
        log.WriteLine($"private:    {privateTags.Count} entries, {privateTags.Select(t => t.Creator).Distinct(StringComparer.Ordinal).Count()} creators ({privateCount - privateTags.Count} duplicates, {skippedPrivate.Count} not of the form (gggg,xxee) in an odd group left out)");
        log.WriteLine($"uids:       {uids.Count} UIDs; keywords left out: {(skippedUids.Count == 0 ? "none" : string.Join(", ", skippedUids))}");

        var stale = 0;
        if (!options.Check)
        {
            Directory.CreateDirectory(options.OutputDirectory);
        }

        foreach (var (name, text) in files)
        {
            var path = Path.Combine(options.OutputDirectory, name);
            var current = File.Exists(path) ? File.ReadAllText(path, s_utf8) : null;
            if (current == text)
            {
                log.WriteLine($"unchanged:  {path}");
                continue;
            }

            if (options.Check)
            {
                log.WriteLine($"stale:      {path}");
                stale++;
                continue;
            }

            File.WriteAllText(path, text, s_utf8);
            log.WriteLine($"wrote:      {path}");
        }

        return stale == 0 ? 0 : 1;
    }
}
