using Vna.Codecs.Pixels;

namespace Vna.Codecs.Codecs;

/// <summary>
/// One transfer syntax's frame codec. Frames go in and out as interleaved little-endian samples (<see cref="FrameInfo"/>).
/// Every failure is a <see cref="Vna.Core.TranscodeException"/> with the library's message; never a native fault.
/// Instances are stateless and thread-safe (each call creates its own native codec object).
/// </summary>
internal interface IFrameCodec
{
    string TransferSyntaxUid { get; }

    /// <summary>True when encoding loses information (lossy syntaxes).</summary>
    bool IsLossy { get; }

    bool CanEncode { get; }

    bool CanDecode { get; }

    /// <summary>Null when the codec can run here; otherwise why not (the missing library and the package that provides it).</summary>
    string? UnavailableReason { get; }

    /// <summary>Checks that this codec can encode frames of this shape; a <see cref="Vna.Core.TranscodeException"/> says why not.</summary>
    void CheckEncodable(in FrameInfo info, string photometric);

    EncodedFrame Encode(ReadOnlySpan<byte> frame, in FrameInfo info, string photometric, EncodeParameters parameters);

    /// <summary>Decodes into <paramref name="destination"/> (exactly <see cref="FrameInfo.FrameBytes"/>); returns the photometric interpretation of the result.</summary>
    string Decode(ReadOnlySpan<byte> encoded, in FrameInfo info, string photometric, Span<byte> destination);
}
