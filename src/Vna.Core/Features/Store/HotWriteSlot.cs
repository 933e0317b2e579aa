namespace Vna.Core;

/// <summary>
/// The temporary object a store is working on. Replacing it (meta added, coercion rewrite) hands over to a new write; the
/// slot disposes whatever it holds at the end, which deletes the temporary file unless it was committed.
/// </summary>
internal sealed class HotWriteSlot : IAsyncDisposable
{
    public HotWriteSlot(IHotWrite current)
    {
        ArgumentNullException.ThrowIfNull(current);
        Current = current;
    }

    public IHotWrite Current { get; private set; }

    /// <summary>Makes <paramref name="next"/> current and returns the previous write, which the caller disposes when done reading it.</summary>
    public IHotWrite Replace(IHotWrite next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var previous = Current;
        Current = next;
        return previous;
    }

    public ValueTask DisposeAsync() => Current.DisposeAsync();
}
