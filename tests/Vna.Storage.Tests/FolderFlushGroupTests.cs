namespace Vna.Storage.Tests;

/// <summary>
/// Group commit of folder flushes: a caller is answered only by a flush that started after its call; callers that queue
/// while a flush runs share the next one; a failed flush fails exactly the callers it was for.
/// </summary>
public sealed class FolderFlushGroupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Callers_queued_during_a_flush_share_the_next_one_and_none_is_answered_by_an_earlier_one()
    {
        var flushes = new List<(string Folder, int Generation)>();
        var generation = 0;
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var group = new FolderFlushGroup(folder =>
        {
            int mine;
            lock (flushes)
            {
                mine = ++generation;
                flushes.Add((folder, mine));
            }

            if (mine == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait(TimeSpan.FromSeconds(30));
            }
        });

        var first = Task.Run(() => group.FlushAsync("/a"), Ct);
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(30), Ct));

        // Arrive while the first flush runs: it may have started before their new names, so they must wait for another.
        var second = group.FlushAsync("/a");
        var third = group.FlushAsync("/a");
        var otherFolder = group.FlushAsync("/b"); // another folder does not wait for /a
        await otherFolder.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        releaseFirst.Set();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(2, flushes.Count(f => f.Folder == "/a")); // the first, and one for both that queued
        Assert.Single(flushes, f => f.Folder == "/b");

        // Nothing left running: the next caller flushes at once, on its own thread.
        var before = flushes.Count;
        await group.FlushAsync("/a");
        Assert.Equal(before + 1, flushes.Count);
    }

    [Fact]
    public async Task A_failed_flush_fails_the_callers_it_served_and_the_next_ones_flush_again()
    {
        var calls = 0;
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var group = new FolderFlushGroup(_ =>
        {
            var n = Interlocked.Increment(ref calls);
            if (n == 1)
            {
                started.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                return;
            }

            if (n == 2)
            {
                throw new IOException("fsync failed");
            }
        });

        var first = Task.Run(() => group.FlushAsync("/a"), Ct);
        Assert.True(started.Wait(TimeSpan.FromSeconds(30), Ct));
        var queued = group.FlushAsync("/a");
        release.Set();

        await first.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var error = await Assert.ThrowsAsync<IOException>(() => queued.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal("fsync failed", error.Message);

        await group.FlushAsync("/a"); // a later caller gets a flush of its own, which succeeds
        Assert.Equal(3, calls);
    }
}
