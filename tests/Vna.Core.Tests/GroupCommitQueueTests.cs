using System.Collections.Concurrent;

namespace Vna.Core.Tests;

/// <summary>Group commit: concurrent writes share one write, nothing completes before its write, a bad request fails alone.</summary>
public sealed class GroupCommitQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_arriving_while_a_write_is_in_flight_share_the_next_write()
    {
        var writes = new ConcurrentQueue<string[]>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        var queue = new GroupCommitQueue<string>(
            async (items, _) =>
            {
                writes.Enqueue([.. items]);
                if (first)
                {
                    first = false;
                    await release.Task;
                }
            },
            s => s)
        { MaxConcurrentWrites = 1 };

        var blocked = queue.WriteAsync(["a"], Ct);
        await WaitUntilAsync(() => writes.Count == 1);
        var waiting = Enumerable.Range(0, 10).Select(i => queue.WriteAsync([$"b{i}"], Ct)).ToArray();

        // Nothing is acknowledged before the write that carries it has completed.
        Assert.False(blocked.IsCompleted);
        Assert.All(waiting, t => Assert.False(t.IsCompleted));

        release.SetResult();
        await blocked;
        await Task.WhenAll(waiting);
        var all = writes.ToArray();
        Assert.Equal(2, all.Length);
        Assert.Equal(["a"], all[0]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"b{i}"), all[1]);
    }

    [Fact]
    public async Task A_request_the_write_refuses_fails_alone_and_the_others_are_written()
    {
        var written = new ConcurrentBag<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var queue = new GroupCommitQueue<string>(
            async (items, _) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await release.Task;
                }

                if (items.Contains("bad"))
                {
                    throw new InvalidOperationException("refused");
                }

                foreach (var item in items)
                {
                    written.Add(item);
                }
            })
        { MaxConcurrentWrites = 1 };

        var blocker = queue.WriteAsync(["first"], Ct);
        await WaitUntilAsync(() => Volatile.Read(ref calls) == 1);
        var good = Enumerable.Range(0, 5).Select(i => queue.WriteAsync([$"g{i}"], Ct)).ToArray();
        var bad = queue.WriteAsync(["bad"], Ct);
        release.SetResult();

        await blocker;
        await Task.WhenAll(good);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("refused", error.Message);
        Assert.Equal(["first", "g0", "g1", "g2", "g3", "g4"], written.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_requests_with_the_same_key_are_never_in_one_write()
    {
        var writes = new ConcurrentQueue<string[]>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new GroupCommitQueue<string>(
            async (items, _) =>
            {
                writes.Enqueue([.. items]);
                if (writes.Count == 1)
                {
                    await release.Task;
                }
            },
            s => s.Split(':')[0])
        { MaxConcurrentWrites = 1 };

        var blocker = queue.WriteAsync(["x:0"], Ct);
        await WaitUntilAsync(() => writes.Count == 1);
        var rest = new[] { queue.WriteAsync(["k:1"], Ct), queue.WriteAsync(["m:1"], Ct), queue.WriteAsync(["k:2"], Ct) };
        release.SetResult();
        await blocker;
        await Task.WhenAll(rest);

        // Arrival order is kept: the second "k" waits for the write after the first one's.
        Assert.Equal(new[] { new[] { "x:0" }, ["k:1", "m:1"], ["k:2"] }, writes.ToArray());
    }

    [Fact]
    public async Task A_group_holds_at_most_MaxItems_items()
    {
        var sizes = new ConcurrentQueue<int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new GroupCommitQueue<int>(
            async (items, _) =>
            {
                sizes.Enqueue(items.Count);
                if (sizes.Count == 1)
                {
                    await release.Task;
                }
            })
        { MaxConcurrentWrites = 1, MaxItems = 10 };

        var blocker = queue.WriteAsync([0], Ct);
        await WaitUntilAsync(() => sizes.Count == 1);
        var rest = Enumerable.Range(0, 7).Select(i => queue.WriteAsync([i, i], Ct)).ToList();
        rest.Add(queue.WriteAsync(new int[25], Ct));
        release.SetResult();
        await blocker;
        await Task.WhenAll(rest);

        // 7 requests of 2: 10 + 4; the request of 25 alone.
        Assert.Equal([1, 10, 4, 25], sizes.ToArray());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition(), "the condition never held");
    }
}
