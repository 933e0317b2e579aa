using Vna.Codecs.Codecs;
using Vna.Dicom;

namespace Vna.Codecs.Transcoding;

/// <summary>Transfer syntax UID → frame codec, and which syntaxes are native (handled by the Part 10 writer alone).</summary>
internal sealed class CodecRegistry
{
    private readonly Dictionary<string, IFrameCodec> _codecs = new(StringComparer.Ordinal);

    public CodecRegistry(IEnumerable<IFrameCodec> codecs)
    {
        foreach (var codec in codecs)
        {
            _codecs[codec.TransferSyntaxUid] = codec;
        }
    }

    public IReadOnlyCollection<IFrameCodec> Codecs => _codecs.Values;

    /// <summary>Uncompressed syntaxes the writer produces (implicit/explicit VR, big endian, deflated data set).</summary>
    public static bool IsNative(string uid) => uid is "1.2.840.10008.1.2" or "1.2.840.10008.1.2.1" or "1.2.840.10008.1.2.2" or "1.2.840.10008.1.2.1.99";

    public IFrameCodec? Find(string uid) => _codecs.GetValueOrDefault(uid);

    public bool CanDecode(string uid) => IsNative(uid) || (Find(uid) is { CanDecode: true, UnavailableReason: null });

    public bool CanEncode(string uid) => IsNative(uid) || (Find(uid) is { CanEncode: true, UnavailableReason: null });

    public static DicomTransferSyntax Syntax(string uid) => DicomTransferSyntax.Parse(uid);
}
