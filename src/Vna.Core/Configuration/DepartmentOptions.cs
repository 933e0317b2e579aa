namespace Vna.Core;

/// <summary>One department (a PACS or modality group) that archives into Vna.</summary>
public sealed class DepartmentOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Calling AE titles that identify this department's PACS and modalities.</summary>
    public IList<string> AeTitles { get; } = [];

    /// <summary>Issuer of Patient ID (0010,0021) assigned to instances that arrive without one.</summary>
    public string? IssuerOfPatientId { get; set; }

    /// <summary>Operations allowed: "store", "query", "retrieve", "commit" (empty: all).</summary>
    public IList<string> AllowedOperations { get; } = [];

    /// <summary>C-MOVE destinations this department may name: AE title → host and port.</summary>
    public IList<MoveDestinationOptions> MoveDestinations { get; } = [];

    /// <summary>Attribute coercions applied to instances from this department, in order.</summary>
    public IList<CoercionRule> Coercions { get; } = [];

    public bool Allows(string operation) =>
        AllowedOperations.Count == 0 || AllowedOperations.Contains(operation, StringComparer.OrdinalIgnoreCase);
}
