namespace Vna.Archive.Lifecycle;

/// <summary>
/// Bounds how many policy-driven moves and purges run at once in this silo. A grain never waits for a slot (that would
/// hold its turn, and the study's ingest, hostage): it takes one at once or defers its step by
/// <see cref="LifecycleOptions.BusyRetry"/>.
/// </summary>
public sealed class LifecycleCoordinator(LifecycleOptions options)
{
    private int _running;
    private long _refused;
    private int _peak;

    public int Capacity { get; } = options.MaxConcurrentMigrations;

    /// <summary>Steps running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>The most steps seen running at once (since start).</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>Steps deferred because every slot was busy (since start).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Takes a slot if one is free (dispose the lease to free it), else null.</summary>
    public IDisposable? TryAcquire()
    {
        while (true)
        {
            var running = Volatile.Read(ref _running);
            if (running >= Capacity)
            {
                Interlocked.Increment(ref _refused);
                return null;
            }

            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                var peak = Volatile.Read(ref _peak);
                while (running + 1 > peak && Interlocked.CompareExchange(ref _peak, running + 1, peak) != peak)
                {
                    peak = Volatile.Read(ref _peak);
                }

                return new Lease(this);
            }
        }
    }

    private void Release() => Interlocked.Decrement(ref _running);

    private sealed class Lease(LifecycleCoordinator owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
