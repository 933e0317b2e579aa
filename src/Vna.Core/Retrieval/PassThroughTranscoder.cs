namespace Vna.Core;

/// <summary>The transcoder used when no codecs are registered: serves an object only in the syntax it is stored in.</summary>
public sealed class PassThroughTranscoder : IInstanceTranscoder
{
    public bool CanTranscode(string fromTransferSyntaxUid, string toTransferSyntaxUid) =>
        string.Equals(fromTransferSyntaxUid, toTransferSyntaxUid, StringComparison.Ordinal);

    public Task<TranscodeResult> TranscodeAsync(Stream source, string targetTransferSyntaxUid, Stream destination, TranscodeOptions? options, CancellationToken cancellationToken) =>
        throw new TranscodeException($"No codecs are registered: cannot produce transfer syntax {targetTransferSyntaxUid}.");
}
