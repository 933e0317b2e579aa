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
            new OpenJpegCodec(lossy: false),
            new OpenJpegCodec(lossy: true),
            new Htj2kCodec(Htj2kCodec.Lossless, options.PreferOpenJphDecoder),
            new Htj2kCodec(Htj2kCodec.LosslessRpcl, options.PreferOpenJphDecoder),
            new Htj2kCodec(Htj2kCodec.Lossy, options.PreferOpenJphDecoder),
            new JpegLsCodec(nearLossless: false),
            new JpegLsCodec(nearLossless: true),
            new JpegBaselineCodec(),
            new ManagedJpegCodec(ManagedJpegCodec.Extended),
            new ManagedJpegCodec(ManagedJpegCodec.LosslessProcess14),
            new ManagedJpegCodec(ManagedJpegCodec.LosslessSv1),
        ]);
    }
}
