namespace Vna.Dicom.Generators;

/// <summary>One private data element (gggg,xxee) reserved by <see cref="Creator"/>.</summary>
internal sealed record PrivateTag(
    string Creator,
    ushort Group,
    byte Element,
    IReadOnlyList<string> ValueRepresentations,
    string ValueMultiplicity,
    string Name,
    bool IsRetired);
