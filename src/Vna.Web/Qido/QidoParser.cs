using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Web.Qido;

/// <summary>
/// Turns QIDO-RS query parameters (PS3.18 8.3.4) into a C-FIND style <see cref="IndexQuery"/>: <c>{attributeID}={value}</c>
/// (keyword or eight hex digits; comma-separated values of UI and CS keys become a value list), <c>includefield</c>
/// (repeated or comma-separated, or <c>all</c>), <c>fuzzymatching</c>, <c>limit</c> and <c>offset</c>.
/// </summary>
internal static class QidoParser
{
    /// <summary>The request, or the problem that makes it a 400.</summary>
    public static (QidoRequest? Request, string? Problem) Parse(
        IQueryCollection parameters, QueryLevel level, string? study, string? series, DicomWebOptions options)
    {
        var identifier = new DicomDataset();
        var warnings = new List<string>();
        var includeAll = false;
        var include = new List<DicomTag>();
        var fuzzy = false;
        int? limit = null;
        var offset = 0;

        foreach (var (name, values) in parameters)
        {
            var key = name.Trim();
            switch (key.ToLowerInvariant())
            {
                case "includefield":
                    foreach (var field in values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                    {
                        if (field.Equals("all", StringComparison.OrdinalIgnoreCase))
                        {
                            includeAll = true;
                        }
                        else if (TryTag(field, out var tag))
                        {
                            include.Add(tag);
                        }
                        else
                        {
                            return (null, $"includefield '{field}' is not an attribute keyword or tag.");
                        }
                    }

                    continue;
                case "fuzzymatching":
                    if (!bool.TryParse(values.ToString(), out fuzzy))
                    {
                        return (null, $"fuzzymatching must be true or false, not '{values}'.");
                    }

                    continue;
                case "limit":
                    var (parsedLimit, limitProblem, limitWarning) = Limit(values.ToString(), options);
                    if (limitProblem is not null)
                    {
                        return (null, limitProblem);
                    }

                    limit = parsedLimit;
                    if (limitWarning is not null)
                    {
                        warnings.Add(limitWarning);
                    }

                    continue;
                case "offset":
                    if (!int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
                    {
                        return (null, $"offset must be a non-negative integer, not '{values}'.");
                    }

                    continue;
            }

            if (key.Contains('.', StringComparison.Ordinal))
            {
                var problem = AddSequenceKey(identifier, key, values.ToString());
                if (problem is not null)
                {
                    return (null, problem);
                }

                continue;
            }

            if (!TryTag(key, out var matchTag))
            {
                return (null, $"'{key}' is not a query parameter, an attribute keyword or a tag.");
            }

            var vr = DicomDictionary.Lookup(matchTag)?.VR ?? DicomVR.UN;
            if (vr == DicomVR.SQ)
            {
                return (null, $"'{key}' is a sequence: match on one of its attributes ({key}.Keyword=value).");
            }

            var value = values.ToString();
            identifier.AddOrUpdate(matchTag, vr, SplitValues(value, vr));
        }

        if (study is not null)
        {
            identifier.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, study);
        }

        if (series is not null)
        {
            identifier.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, series);
        }

        foreach (var tag in QidoDefaults.For(level, includeAll, study is not null, series is not null).Concat(include))
        {
            if (!identifier.Contains(tag))
            {
                var vr = DicomDictionary.Lookup(tag)?.VR ?? DicomVR.UN;
                identifier.Add(vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty));
            }
        }

        var query = new IndexQuery
        {
            Level = level,
            Identifier = identifier,
            FuzzyMatching = fuzzy,
            Limit = limit ?? options.DefaultQueryLimit,
            Offset = offset,
        };
        return (new QidoRequest(query, warnings), null);
    }

    private static (int? Limit, string? Problem, string? Warning) Limit(string text, DicomWebOptions options)
    {
        text = text.Trim();
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            return (null, $"limit must be a non-negative integer, not '{text}'.", null);
        }

        // Any number of digits is a valid limit: one beyond what the server answers at once is reduced (PS3.18 8.3.4.4).
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit > options.MaxQueryLimit)
        {
            return (options.MaxQueryLimit, null, $"The limit {text} exceeds the maximum of {options.MaxQueryLimit} matches per answer; at most {options.MaxQueryLimit} are returned: ask for more with offset.");
        }

        return (limit, null, null);
    }

    private static string? AddSequenceKey(DicomDataset identifier, string key, string value)
    {
        var names = key.Split('.');
        if (names.Length != 2 || !TryTag(names[0], out var sequenceTag) || !TryTag(names[1], out var itemTag)
            || DicomDictionary.Lookup(sequenceTag)?.VR != DicomVR.SQ)
        {
            return $"'{key}' is not a sequence attribute followed by one of its attributes.";
        }

        var sequence = identifier.GetSequence(sequenceTag);
        if (sequence is null)
        {
            sequence = new DicomSequence(sequenceTag);
            identifier.Add(sequence);
        }

        if (sequence.Items.Count == 0)
        {
            sequence.Add(new DicomDataset());
        }

        var vr = DicomDictionary.Lookup(itemTag)?.VR ?? DicomVR.UN;
        sequence.Items[0].AddOrUpdate(itemTag, vr, SplitValues(value, vr));
        return null;
    }

    private static string[] SplitValues(string value, DicomVR vr) =>
        vr == DicomVR.UI || vr == DicomVR.CS
            ? value.Split([',', '\\'], StringSplitOptions.TrimEntries)
            : [value];

    internal static bool TryTag(string text, out DicomTag tag)
    {
        if (text.Length == 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            tag = new DicomTag(value);
            return true;
        }

        var entry = DicomDictionary.LookupKeyword(text);
        if (entry is not null)
        {
            tag = entry.Tag;
            return true;
        }

        tag = default;
        return false;
    }
}
