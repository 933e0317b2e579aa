namespace Vna.Core;

/// <summary>An instance's stored bytes, open for reading. Dispose to release the stream.</summary>
/// <param name="Stream">The Part 10 object.</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="TransferSyntaxUid">The transfer syntax it is stored in.</param>
/// <param name="LocalPath">A local file holding the same bytes when there is one (readers may keep bulk data by reference into it); null otherwise.</param>
public sealed record InstanceContent(Stream Stream, long Length, string TransferSyntaxUid, string? LocalPath) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
