using Vna.Dicom;

namespace Vna.Index.Postgres.Query;

/// <summary>One attribute a query returns: the SQL expression in the select list (in field order) and how to read it.</summary>
/// <param name="Tag">The attribute.</param>
/// <param name="VR">Its VR in the response.</param>
/// <param name="Kind">How its value is read (text, text[], a number, availability, the issuer sequence).</param>
/// <param name="Sql">The select-list expression.</param>
internal sealed record ReturnField(DicomTag Tag, DicomVR VR, MatchKind Kind, string Sql);
