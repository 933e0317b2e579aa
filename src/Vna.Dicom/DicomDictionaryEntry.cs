namespace Vna.Dicom;

/// <summary>
/// One attribute of the data dictionary (PS3.6 table 6-1, PS3.7 E.1). <see cref="Mask"/> marks the bits of
/// <see cref="Tag"/> that must match: all bits for an ordinary tag, fewer for repeating groups such as (60xx,3000).
/// </summary>
public sealed record DicomDictionaryEntry(
    DicomTag Tag,
    uint Mask,
    IReadOnlyList<DicomVR> ValueRepresentations,
    string ValueMultiplicity,
    string Name,
    string Keyword,
    bool IsRetired)
{
    /// <summary>The VR used when the encoding does not say (implicit VR): the first the dictionary lists.</summary>
    public DicomVR VR => ValueRepresentations.Count > 0 ? ValueRepresentations[0] : DicomVR.UN;

    public bool Matches(DicomTag tag) => (tag.Value & Mask) == (Tag.Value & Mask);
}
