using Vna.Codecs.Codecs;

namespace Vna.Codecs.Transcoding;

/// <summary>The codecs Vna.Codecs provides, one per transfer syntax.</summary>
internal static class CodecCatalog
{
    public static CodecRegistry CreateRegistry(CodecsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CodecRegistry(
        [
            new RleCodec(),
        ]);
    }
}
