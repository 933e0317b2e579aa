using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Query;

/// <summary>
/// One attribute the index holds: its level, how it is matched, the SQL expression that returns its value and the one
/// it is matched on (a normalised column for person names, the key column for times).
/// </summary>
/// <param name="Tag">The attribute.</param>
/// <param name="VR">Its VR in responses.</param>
/// <param name="Level">The level whose table holds it.</param>
/// <param name="Kind">How it is matched.</param>
/// <param name="Column">The expression that returns its value (text, text[], integer or smallint).</param>
/// <param name="MatchColumn">The expression it is matched on when not <paramref name="Column"/>.</param>
/// <param name="WordsColumn">For person names: the words column for fuzzy matching.</param>
internal sealed record IndexAttribute(
    DicomTag Tag,
    DicomVR VR,
    QueryLevel Level,
    MatchKind Kind,
    string Column,
    string? MatchColumn = null,
    string? WordsColumn = null)
{
    public string Keyword => DicomDictionary.Lookup(Tag)?.Keyword ?? Tag.ToString();
}
