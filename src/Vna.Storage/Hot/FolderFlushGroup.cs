namespace Vna.Storage;

/// <summary>
/// Group commit for folder flushes. Every new name in a folder needs an fsync of the folder before it is durable, and on a
/// disk where each flush waits for the device, concurrent commits into one folder (the instances of one series arriving
/// on several associations) would each pay their own. Here a caller is served by the first flush of its folder that
/// starts after its call: when none is running it flushes at once; when one is running it waits for the next, which one
/// flush then serves for everyone who arrived meanwhile.
/// </summary>
internal sealed class FolderFlushGroup(Action<string> flush)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource?> _running = new(StringComparer.Ordinal);

    /// <summary>Returns once a flush of <paramref name="folder"/> that started after this call has completed.</summary>
    /// <exception cref="IOException">That flush failed.</exception>
    public Task FlushAsync(string folder)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(folder, out var next))
            {
                // A flush is running: it may have started before our new name, so wait for the next one.
                if (next is null)
                {
                    next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _running[folder] = next;
                }

                return next.Task;
            }

            _running[folder] = null;
        }

        try
        {
            flush(folder);
        }
        finally
        {
            Release(folder);
        }

        return Task.CompletedTask;
    }

    /// <summary>After a flush: serves those who queued during it with one more flush (on the thread pool), or ends.</summary>
    private void Release(string folder)
    {
        TaskCompletionSource? waiting;
        lock (_lock)
        {
            waiting = _running[folder];
            if (waiting is null)
            {
                _running.Remove(folder);
                return;
            }

            _running[folder] = null; // the flush below is the running one; later callers queue for the one after it
        }

        _ = Task.Run(() =>
        {
            try
            {
                flush(folder);
                waiting.TrySetResult();
            }
            catch (Exception ex)
            {
                waiting.TrySetException(ex);
            }
            finally
            {
                Release(folder);
            }
        });
    }
}
