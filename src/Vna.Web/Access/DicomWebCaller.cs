namespace Vna.Web.Access;

/// <summary>Who is calling a DICOMweb endpoint and what they may do: roles and the departments they act for.</summary>
public sealed record DicomWebCaller
{
    public const string AllDepartments = "*";

    /// <summary>For audit: the token's subject, or "development".</summary>
    public required string Name { get; init; }

    public required IReadOnlySet<string> Roles { get; init; }

    /// <summary>The departments named by the token (configuration names); "*" stands for every department.</summary>
    public required IReadOnlyList<string> Departments { get; init; }

    public bool IsAdmin => Roles.Contains(DicomWebRole.Admin);

    public bool CanRead => IsAdmin || Roles.Contains(DicomWebRole.Reader) || Roles.Contains(DicomWebRole.Writer) || Roles.Contains(DicomWebRole.ComplianceOfficer);

    public bool CanWrite => IsAdmin || Roles.Contains(DicomWebRole.Writer);

    /// <summary>True when the caller reads across every department (admin, compliance officer, or "*").</summary>
    public bool SeesAllDepartments =>
        IsAdmin || Roles.Contains(DicomWebRole.ComplianceOfficer) || Departments.Contains(AllDepartments, StringComparer.Ordinal);

    /// <summary>True when the caller may read what came from <paramref name="department"/>.</summary>
    public bool MayRead(string department) =>
        CanRead && (SeesAllDepartments || Departments.Contains(department, StringComparer.OrdinalIgnoreCase));

    /// <summary>True when the caller may store on behalf of <paramref name="department"/>.</summary>
    public bool MayWrite(string department) =>
        CanWrite && (IsAdmin || Departments.Contains(AllDepartments, StringComparer.Ordinal) || Departments.Contains(department, StringComparer.OrdinalIgnoreCase));
}
