namespace Vna.Dicom.Generators;

/// <summary>One UID of the registry (PS3.6 Annex A). <see cref="Type"/> is a member name of Vna.Dicom.DicomUidType.</summary>
internal sealed record RegisteredUid(string Value, string Name, string Keyword, string Type, bool IsRetired);
