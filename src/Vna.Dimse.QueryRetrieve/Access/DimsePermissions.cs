using Vna.Core;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>Per-department permissions for the services of this project ("query", "retrieve", "commit").</summary>
public static class DimsePermissions
{
    public const string Query = "query";
    public const string Retrieve = "retrieve";
    public const string Commit = "commit";

    /// <summary>True when the caller belongs to a department that may <paramref name="operation"/>.</summary>
    public static bool Allows(DepartmentOptions? department, string operation) =>
        department is not null && department.Allows(operation);
}
