namespace Vna.Tiers;

/// <summary>Bounds how many study moves run at once in this process (<see cref="TiersOptions.MaxConcurrentMigrations"/>); the rest wait.</summary>
public sealed class MigrationCoordinator(TiersOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentMigrations);
    private int _running;

    /// <summary>Moves running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Waits for a free slot; dispose the result to free it.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _running);
        return new Slot(this);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(MigrationCoordinator owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref owner._running);
                owner._slots.Release();
            }
        }
    }
}
