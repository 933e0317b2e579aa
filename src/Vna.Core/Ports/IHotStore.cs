namespace Vna.Core;

/// <summary>
/// The hot tier: local storage where every object lands first. Writes go to a temporary file and become visible only
/// through <see cref="IHotWrite.CommitAsync"/> (fsync, atomic rename, fsync of the folder).
/// </summary>
public interface IHotStore
{
    /// <summary>Starts writing a new object to a temporary file on the hot tier.</summary>
    Task<IHotWrite> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>Opens a committed object for reading.</summary>
    Task<Stream> OpenReadAsync(string location, CancellationToken cancellationToken);

    /// <summary>True when a committed object exists at <paramref name="location"/>.</summary>
    Task<bool> ExistsAsync(string location, CancellationToken cancellationToken);

    /// <summary>Deletes a committed object (idempotent).</summary>
    Task DeleteAsync(string location, CancellationToken cancellationToken);

    /// <summary>The full path of a location (for readers that keep bulk data by reference into the file).</summary>
    string GetFullPath(string location);

    /// <summary>At start: removes temporary files that a crash left behind; they were never acknowledged.</summary>
    Task<HotStoreReconciliation> ReconcileAsync(CancellationToken cancellationToken);
}
