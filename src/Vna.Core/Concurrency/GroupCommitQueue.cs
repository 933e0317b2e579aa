namespace Vna.Core;

/// <summary>
/// Group commit: writes asked for concurrently by many callers (grains of different studies, HTTP requests) are done
/// together as one write — one round trip and one transaction for the group — while at most
/// <see cref="MaxConcurrentWrites"/> groups are in flight. A caller's task completes only when the write that carried its
/// items has completed, so durability is exactly that of the write function: nothing is acknowledged earlier.
/// </summary>
/// <remarks>
/// <para>Requests are taken in arrival order. A group holds at most <see cref="MaxItems"/> items (a request larger than
/// that goes alone) and never two items with the same key (a request whose key is already in the group waits for the
/// next one, so that "the last one wins" within one write cannot hide an earlier caller's row).</para>
/// <para>When a group's write fails and it carried more than one request, each request is written again on its own, so
/// a request that cannot be written (a value the database refuses) fails alone and the others succeed. The write
/// function must therefore be all-or-nothing (one transaction) and idempotent, as an upsert is.</para>
/// </remarks>
/// <typeparam name="T">One item to write (an instance row, a metadata row).</typeparam>
public sealed class GroupCommitQueue<T>
{
    private readonly Func<IReadOnlyList<T>, CancellationToken, Task> _write;
    private readonly Func<T, string>? _key;
    private readonly Lock _lock = new();
    private readonly Queue<Request> _queue = new();
    private int _writers;

    /// <param name="write">Writes one group, all or nothing.</param>
    /// <param name="key">The identity of an item (at most one item per key in a group), or null when items never collide.</param>
    public GroupCommitQueue(Func<IReadOnlyList<T>, CancellationToken, Task> write, Func<T, string>? key = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        _write = write;
        _key = key;
    }

    /// <summary>Largest number of items in one group (a single larger request is written alone).</summary>
    public int MaxItems { get; init; } = 512;

    /// <summary>Groups written at the same time.</summary>
    public int MaxConcurrentWrites { get; init; } = 1;

    /// <summary>Writes <paramref name="items"/> as part of the next group; completes when that group's write has.</summary>
    /// <remarks>
    /// Cancellation stops the wait, not the write: a group that has started may still commit the items.
    /// </remarks>
    public Task WriteAsync(IReadOnlyList<T> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return Task.CompletedTask;
        }

        var request = new Request(items);
        bool start;
        lock (_lock)
        {
            _queue.Enqueue(request);
            start = _writers < MaxConcurrentWrites;
            if (start)
            {
                _writers++;
            }
        }

        if (start)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Request> group;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _writers--;
                    return;
                }

                group = TakeGroup();
            }

            await WriteGroupAsync(group).ConfigureAwait(false);
        }
    }

    /// <summary>The next group, in arrival order (called under the lock, with at least one request queued).</summary>
    private List<Request> TakeGroup()
    {
        var group = new List<Request> { _queue.Dequeue() };
        var count = group[0].Items.Count;
        HashSet<string>? keys = null;
        if (_key is not null)
        {
            keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in group[0].Items)
            {
                keys.Add(_key(item));
            }
        }

        while (_queue.TryPeek(out var next) && count + next.Items.Count <= MaxItems)
        {
            if (keys is not null && next.Items.Any(item => keys.Contains(_key!(item))))
            {
                break;
            }

            if (keys is not null)
            {
                foreach (var item in next.Items)
                {
                    keys.Add(_key!(item));
                }
            }

            group.Add(_queue.Dequeue());
            count += next.Items.Count;
        }

        return group;
    }

    private async Task WriteGroupAsync(List<Request> group)
    {
        try
        {
            if (group.Count == 1)
            {
                await _write(group[0].Items, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                var items = new List<T>(group.Sum(r => r.Items.Count));
                foreach (var request in group)
                {
                    items.AddRange(request.Items);
                }

                await _write(items, CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var request in group)
            {
                request.Completion.TrySetResult();
            }
        }
        catch (Exception ex) when (group.Count == 1)
        {
            group[0].Completion.TrySetException(ex);
        }
        catch (Exception)
        {
            // The group was rolled back whole: each request on its own, so only the one that cannot be written fails.
            foreach (var request in group)
            {
                try
                {
                    await _write(request.Items, CancellationToken.None).ConfigureAwait(false);
                    request.Completion.TrySetResult();
                }
                catch (Exception single)
                {
                    request.Completion.TrySetException(single);
                }
            }
        }
    }

    private sealed class Request(IReadOnlyList<T> items)
    {
        public IReadOnlyList<T> Items { get; } = items;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
