namespace Vna.Dicom.Generators;

/// <summary>Maps the UID type text of PS3.6 Table A-1 (as pydicom and the supplement write it) to Vna.Dicom.DicomUidType.</summary>
internal static class UidTypes
{
    private static readonly Dictionary<string, string> s_map = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Transfer Syntax"] = "TransferSyntax",
        ["SOP Class"] = "SopClass",
        ["Meta SOP Class"] = "MetaSopClass",
        ["Well-known SOP Instance"] = "WellKnownSopInstance",
        ["Well-known Printer SOP Instance"] = "WellKnownSopInstance",
        ["Well-known Print Queue SOP Instance"] = "WellKnownSopInstance",
        ["Well-known frame of reference"] = "WellKnownFrameOfReference",
        ["Synchronization Frame of Reference"] = "SynchronizationFrameOfReference",
        ["Application Context Name"] = "ApplicationContextName",
        ["Service Class"] = "ServiceClass",
        ["Coding Scheme"] = "CodingScheme",
        ["DICOM UIDs as a Coding Scheme"] = "CodingScheme",
        ["Context Group Name"] = "ContextGroupName",
        ["LDAP OID"] = "LdapOid",
        ["Application Hosting Model"] = "ApplicationHostingModel",
        ["Mapping Resource"] = "MappingResource",
    };

    /// <summary>The DicomUidType member for a type text; an unknown text fails, so a new kind is mapped on purpose.</summary>
    public static string Map(string typeText)
    {
        ArgumentNullException.ThrowIfNull(typeText);
        return s_map.TryGetValue(typeText.Trim(), out var member)
            ? member
            : throw new FormatException($"Unknown UID type '{typeText}': add it to {nameof(UidTypes)}.");
    }
}
