namespace Vna.Web.Metadata;

/// <summary>Where the aggregated metadata of instances is kept (PostgreSQL table <c>web_instance_metadata</c>).</summary>
public interface IInstanceMetadataStore
{
    Task UpsertAsync(IReadOnlyList<InstanceMetadata> rows, CancellationToken cancellationToken);

    /// <summary>The rows of a study, or of one series of it.</summary>
    Task<IReadOnlyList<InstanceMetadata>> GetAsync(string studyInstanceUid, string? seriesInstanceUid, CancellationToken cancellationToken);

    /// <summary>The rows of the given instances (those that have one).</summary>
    Task<IReadOnlyList<InstanceMetadata>> GetInstancesAsync(IReadOnlyCollection<string> sopInstanceUids, CancellationToken cancellationToken);
}
