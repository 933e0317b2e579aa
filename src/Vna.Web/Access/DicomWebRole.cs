namespace Vna.Web.Access;

/// <summary>The roles a DICOMweb caller can hold (values of the role claim).</summary>
public static class DicomWebRole
{
    /// <summary>Searches and retrieves the studies of its departments.</summary>
    public const string Reader = "reader";

    /// <summary>Stores into its departments (and may read what it stores).</summary>
    public const string Writer = "writer";

    /// <summary>Searches and retrieves every department's studies (audit, legal hold), never stores.</summary>
    public const string ComplianceOfficer = "compliance-officer";

    /// <summary>Everything, every department.</summary>
    public const string Admin = "admin";
}
