using System.Collections.Frozen;

namespace Vna.Dicom;

/// <summary>
/// A transfer syntax: how a data set is encoded (VR explicit or implicit, byte order, deflate) and whether pixel data is
/// encapsulated. Unknown UIDs are taken as explicit VR little endian with encapsulated pixel data, as every transfer syntax
/// defined since 1999 is (PS3.5 10).
/// </summary>
public sealed class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    private static readonly FrozenDictionary<string, DicomTransferSyntax> s_known;

    static DicomTransferSyntax()
    {
        var list = new List<DicomTransferSyntax>
        {
            (ImplicitVRLittleEndian = new("1.2.840.10008.1.2", explicitVR: false, bigEndian: false, deflated: false, encapsulated: false, lossy: false)),
            (ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", true, false, false, false, false)),
            (EncapsulatedUncompressedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.98", true, false, false, true, false)),
            (DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", true, false, true, false, false)),
            (ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", true, true, false, false, false)),
            (JpegBaseline = new("1.2.840.10008.1.2.4.50", true, false, false, true, true)),
            (JpegExtended = new("1.2.840.10008.1.2.4.51", true, false, false, true, true)),
            (JpegLossless = new("1.2.840.10008.1.2.4.57", true, false, false, true, false)),
            (JpegLosslessSV1 = new("1.2.840.10008.1.2.4.70", true, false, false, true, false)),
            (JpegLSLossless = new("1.2.840.10008.1.2.4.80", true, false, false, true, false)),
            (JpegLSNearLossless = new("1.2.840.10008.1.2.4.81", true, false, false, true, true)),
            (Jpeg2000Lossless = new("1.2.840.10008.1.2.4.90", true, false, false, true, false)),
            (Jpeg2000 = new("1.2.840.10008.1.2.4.91", true, false, false, true, true)),
            (Jpeg2000Part2MulticomponentLossless = new("1.2.840.10008.1.2.4.92", true, false, false, true, false)),
            (Jpeg2000Part2Multicomponent = new("1.2.840.10008.1.2.4.93", true, false, false, true, true)),
            (Htj2kLossless = new("1.2.840.10008.1.2.4.201", true, false, false, true, false)),
            (Htj2kLosslessRpcl = new("1.2.840.10008.1.2.4.202", true, false, false, true, false)),
            (Htj2k = new("1.2.840.10008.1.2.4.203", true, false, false, true, true)),
            (RleLossless = new("1.2.840.10008.1.2.5", true, false, false, true, false)),
            (DeflatedImageFrameCompression = new("1.2.840.10008.1.2.8.1", true, false, false, true, false)),
            (JpegXLLossless = new("1.2.840.10008.1.2.4.110", true, false, false, true, false)),
            (JpegXLJpegRecompression = new("1.2.840.10008.1.2.4.111", true, false, false, true, false)),
            (JpegXL = new("1.2.840.10008.1.2.4.112", true, false, false, true, true)),
            new("1.2.840.10008.1.2.4.100", true, false, false, true, true), // MPEG2 MP@ML
            new("1.2.840.10008.1.2.4.101", true, false, false, true, true),
            new("1.2.840.10008.1.2.4.102", true, false, false, true, true), // MPEG-4 AVC/H.264
            new("1.2.840.10008.1.2.4.103", true, false, false, true, true),
            new("1.2.840.10008.1.2.4.104", true, false, false, true, true),
            new("1.2.840.10008.1.2.4.105", true, false, false, true, true),
            new("1.2.840.10008.1.2.4.106", true, false, false, true, true),
            new("1.2.840.10008.1.2.4.107", true, false, false, true, true), // HEVC
            new("1.2.840.10008.1.2.4.108", true, false, false, true, true),
            new("1.2.840.10008.1.2.4.94", true, false, false, false, false), // JPIP referenced
            new("1.2.840.10008.1.2.4.95", true, false, true, false, false), // JPIP referenced deflate
        };

        // Retired JPEG processes: still encapsulated and lossy (except the lossless processes 14 and 15).
        foreach (var n in new[] { 52, 53, 54, 55, 56, 59, 60, 61, 62, 63, 64 })
        {
            list.Add(new("1.2.840.10008.1.2.4." + n, true, false, false, true, true));
        }

        foreach (var n in new[] { 58, 65, 66 })
        {
            list.Add(new("1.2.840.10008.1.2.4." + n, true, false, false, true, false));
        }

        s_known = list.ToFrozenDictionary(t => t.Uid, StringComparer.Ordinal);
    }

    private DicomTransferSyntax(string uid, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated, bool lossy, bool known = true)
    {
        Uid = uid;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsLossy = lossy;
        IsKnown = known;
    }

    public static DicomTransferSyntax ImplicitVRLittleEndian { get; }

    public static DicomTransferSyntax ExplicitVRLittleEndian { get; }

    public static DicomTransferSyntax EncapsulatedUncompressedExplicitVRLittleEndian { get; }

    public static DicomTransferSyntax DeflatedExplicitVRLittleEndian { get; }

    public static DicomTransferSyntax ExplicitVRBigEndian { get; }

    public static DicomTransferSyntax JpegBaseline { get; }

    public static DicomTransferSyntax JpegExtended { get; }

    public static DicomTransferSyntax JpegLossless { get; }

    public static DicomTransferSyntax JpegLosslessSV1 { get; }

    public static DicomTransferSyntax JpegLSLossless { get; }

    public static DicomTransferSyntax JpegLSNearLossless { get; }

    public static DicomTransferSyntax Jpeg2000Lossless { get; }

    public static DicomTransferSyntax Jpeg2000 { get; }

    public static DicomTransferSyntax Jpeg2000Part2MulticomponentLossless { get; }

    public static DicomTransferSyntax Jpeg2000Part2Multicomponent { get; }

    public static DicomTransferSyntax Htj2kLossless { get; }

    public static DicomTransferSyntax Htj2kLosslessRpcl { get; }

    public static DicomTransferSyntax Htj2k { get; }

    public static DicomTransferSyntax RleLossless { get; }

    public static DicomTransferSyntax DeflatedImageFrameCompression { get; }

    public static DicomTransferSyntax JpegXLLossless { get; }

    public static DicomTransferSyntax JpegXLJpegRecompression { get; }

    public static DicomTransferSyntax JpegXL { get; }

    /// <summary>Every transfer syntax this toolkit knows by UID.</summary>
    public static IReadOnlyCollection<DicomTransferSyntax> Known => s_known.Values;

    public string Uid { get; }

    /// <summary>The registry name, or the UID when the registry does not know it.</summary>
    public string Name => DicomUid.Lookup(Uid)?.Name ?? Uid;

    public bool IsExplicitVR { get; }

    public bool IsBigEndian { get; }

    /// <summary>The whole data set after the File Meta Information is deflated (RFC 1951).</summary>
    public bool IsDeflated { get; }

    /// <summary>Pixel data is encapsulated (fragments), as in every compressed transfer syntax.</summary>
    public bool IsEncapsulated { get; }

    public bool IsLossy { get; }

    /// <summary>False for a UID not in this toolkit's table (then assumed explicit VR little endian, encapsulated).</summary>
    public bool IsKnown { get; }

    public bool IsRetired => DicomUid.Lookup(Uid)?.IsRetired ?? false;

    /// <summary>The transfer syntax for a UID; unknown UIDs give an explicit VR little endian, encapsulated syntax with <see cref="IsKnown"/> false.</summary>
    public static DicomTransferSyntax Parse(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var trimmed = uid.Trim('\0', ' ');
        return s_known.TryGetValue(trimmed, out var ts)
            ? ts
            : new DicomTransferSyntax(trimmed, true, false, false, true, false, known: false);
    }

    public bool Equals(DicomTransferSyntax? other) => other is not null && string.Equals(Uid, other.Uid, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as DicomTransferSyntax);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Uid);

    public override string ToString() => Name;
}
