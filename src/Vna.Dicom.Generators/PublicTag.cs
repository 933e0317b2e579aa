namespace Vna.Dicom.Generators;

/// <summary>One entry of the public data dictionary as read from a source.</summary>
internal sealed record PublicTag(
    TagPattern Tag,
    IReadOnlyList<string> ValueRepresentations,
    string ValueMultiplicity,
    string Name,
    string Keyword,
    bool IsRetired);
