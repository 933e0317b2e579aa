using System.Data.Common;
using System.Globalization;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Query;

/// <summary>
/// Builds one match's data set from a row of the page query: Query/Retrieve Level, the requested return keys and the
/// unique keys with their values, return keys the index does not hold zero-length, and Specific Character Set
/// "ISO_IR 192" when any returned text is not ASCII.
/// </summary>
internal static class ResultBuilder
{
    private const string Utf8CharacterSet = "ISO_IR 192";

    public static DicomDataset Build(DbDataReader reader, TranslatedQuery query)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(query);

        var values = new string[query.Fields.Count][];
        var nonAscii = false;
        for (var i = 0; i < query.Fields.Count; i++)
        {
            values[i] = Read(reader, i, query.Fields[i].Kind);
            nonAscii |= values[i].Any(v => v.AsSpan().ContainsAnyExceptInRange('\u0000', '\u007F'));
        }

        // The character set goes in first: text elements are encoded with it as they are added.
        var dataset = new DicomDataset();
        if (nonAscii)
        {
            dataset.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, Utf8CharacterSet);
        }

        dataset.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, LevelTerm(query.Level));
        for (var i = 0; i < query.Fields.Count; i++)
        {
            var field = query.Fields[i];
            if (field.Kind == MatchKind.IssuerSequence)
            {
                AddIssuerSequence(dataset, field.Tag, values[i]);
            }
            else
            {
                dataset.AddOrUpdate(field.Tag, field.VR, values[i]);
            }
        }

        foreach (var key in query.EmptyKeys)
        {
            if (dataset.Contains(key.Tag))
            {
                continue;
            }

            dataset.AddOrUpdate(key.VR == DicomVR.SQ
                ? new DicomSequence(key.Tag)
                : new DicomElement(key.Tag, key.VR, ReadOnlyMemory<byte>.Empty));
        }

        return dataset;
    }

    public static string LevelTerm(QueryLevel level) => level switch
    {
        QueryLevel.Patient => "PATIENT",
        QueryLevel.Study => "STUDY",
        QueryLevel.Series => "SERIES",
        _ => "IMAGE",
    };

    private static string[] Read(DbDataReader reader, int ordinal, MatchKind kind)
    {
        if (reader.IsDBNull(ordinal))
        {
            return [];
        }

        switch (kind)
        {
            case MatchKind.TextArray:
                return reader.GetFieldValue<string[]>(ordinal);
            case MatchKind.Count:
                return [Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)];
            case MatchKind.Availability:
                return [AvailabilityCodes.ToText(Convert.ToInt16(reader.GetValue(ordinal), CultureInfo.InvariantCulture))];
            default:
                var text = reader.GetString(ordinal);
                return text.Length == 0 ? [] : [text];
        }
    }

    private static void AddIssuerSequence(DicomDataset dataset, DicomTag tag, string[] values)
    {
        var sequence = new DicomSequence(tag);
        dataset.AddOrUpdate(sequence);
        if (values.Length > 0 && values[0].Length > 0)
        {
            // Added to its sequence before its values, so that it encodes them with the data set's character set.
            var item = new DicomDataset();
            sequence.Add(item);
            item.AddOrUpdate(DicomTag.LocalNamespaceEntityID, DicomVR.UT, values[0]);
        }
    }
}
