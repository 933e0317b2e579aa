using Vna.Core;

namespace Vna.Storage;

/// <summary>One object being received into <c>&lt;root&gt;/tmp/</c>; committed by fsync, atomic rename and fsync of the folder.</summary>
internal sealed class FileSystemHotWrite : IContentAddressedHotWrite
{
    private readonly FileSystemHotStore _store;
    private readonly FileStream _stream;
    private readonly InlineWriteStream _writer;
    private bool _committed;
    private bool _disposed;

    public FileSystemHotWrite(FileSystemHotStore store, FileStream stream, string temporaryPath)
    {
        _store = store;
        _stream = stream;
        _writer = new InlineWriteStream(stream);
        TemporaryPath = temporaryPath;
    }

    public Stream Stream => _writer;

    public string TemporaryPath { get; }

    public bool LandedOnExistingCopy { get; private set; }

    public async Task<string> CommitAsync(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string sha256, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The object was already committed.");
        }

        var location = FileSystemHotStore.LocationOf(studyInstanceUid, seriesInstanceUid, sopInstanceUid, sha256);
        var destination = _store.GetFullPath(location);
        var folder = Path.GetDirectoryName(destination)!;

        // The bytes first: flushed to the file, then the file to the disk (fsync), then closed.
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        _store.EnsureDurableFolder(folder);
        LandedOnExistingCopy = File.Exists(destination);
        try
        {
            File.Move(TemporaryPath, destination, overwrite: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The folder was removed behind the store's back since it was made durable: make it again, once.
            _store.ForgetDurableFolders();
            _store.EnsureDurableFolder(folder);
            File.Move(TemporaryPath, destination, overwrite: true);
        }

        _committed = true;
        try
        {
            // The new name is durable only once the folder holding it is (one flush serves concurrent commits into it).
            await _store.FolderFlushes.FlushAsync(folder).ConfigureAwait(false);
        }
        catch (IOException)
        {
            if (!LandedOnExistingCopy)
            {
                TryDelete(destination);
            }

            throw;
        }

        return location;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (!_committed)
        {
            TryDelete(TemporaryPath);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the start-up reconciliation.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
