namespace Vna.Codecs.Codecs;

/// <summary>Settings of one encode.</summary>
/// <param name="Quality">Codec-specific: JPEG quality 1–100; JPEG 2000/HTJ2K target compression ratio; JPEG-LS NEAR. Null: the codec's default.</param>
/// <param name="CodecThreads">Threads inside the codec for one frame (OpenJPEG); 1 when frames run in parallel.</param>
internal sealed record EncodeParameters(double? Quality = null, int CodecThreads = 1)
{
    public static EncodeParameters Default { get; } = new();
}
