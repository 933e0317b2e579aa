namespace Vna.Core;

/// <summary>
/// Re-encodes a stored Part 10 object into another transfer syntax (retrieval: C-MOVE, C-GET, WADO-RS; migration:
/// compression before a colder tier). Implemented by the codecs (<c>Vna.Codecs</c>); the default
/// (<see cref="PassThroughTranscoder"/>) serves only what is stored.
/// </summary>
public interface IInstanceTranscoder
{
    /// <summary>True when an object stored in <paramref name="fromTransferSyntaxUid"/> can be served as <paramref name="toTransferSyntaxUid"/>.</summary>
    bool CanTranscode(string fromTransferSyntaxUid, string toTransferSyntaxUid);

    /// <summary>
    /// Reads a Part 10 object from <paramref name="source"/> and writes it to <paramref name="destination"/> as a Part 10
    /// object in <paramref name="targetTransferSyntaxUid"/>. Throws <see cref="TranscodeException"/> for input it cannot
    /// decode or a syntax it cannot produce; never a native fault.
    /// </summary>
    Task<TranscodeResult> TranscodeAsync(Stream source, string targetTransferSyntaxUid, Stream destination, TranscodeOptions? options, CancellationToken cancellationToken);
}
