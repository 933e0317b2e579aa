namespace Vna.Dicom;

/// <summary>The kinds of registered UIDs in PS3.6 Annex A.</summary>
public enum DicomUidType
{
    Unknown = 0,
    TransferSyntax,
    SopClass,
    MetaSopClass,
    WellKnownSopInstance,
    WellKnownFrameOfReference,
    SynchronizationFrameOfReference,
    ApplicationContextName,
    ServiceClass,
    CodingScheme,
    ContextGroupName,
    LdapOid,
    ApplicationHostingModel,
    MappingResource,
    Other,
}
