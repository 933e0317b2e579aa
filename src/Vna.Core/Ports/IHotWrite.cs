namespace Vna.Core;

/// <summary>An object being written to the hot tier. Disposing without committing deletes the temporary file.</summary>
public interface IHotWrite : IAsyncDisposable
{
    /// <summary>Where to write the object's bytes.</summary>
    Stream Stream { get; }

    /// <summary>The temporary file (for reading the object back before it is committed).</summary>
    string TemporaryPath { get; }

    /// <summary>
    /// Flushes and fsyncs the file, renames it atomically to its final location for this instance and content
    /// (<paramref name="sha256"/> is part of the name, so a different copy of the same SOP Instance UID never overwrites
    /// another), fsyncs the folder, and returns the location.
    /// </summary>
    Task<string> CommitAsync(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string sha256, CancellationToken cancellationToken);
}
