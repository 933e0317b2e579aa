namespace Vna.Dimse;

/// <summary>The per-department permissions DIMSE services check (<c>Archive:Departments[].AllowedOperations</c>).</summary>
public static class DimseOperation
{
    public const string Store = "store";
    public const string Query = "query";
    public const string Retrieve = "retrieve";
    public const string Commit = "commit";
}
