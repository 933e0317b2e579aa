using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Net.Http.Headers;
using Vna.Dicom;

namespace Vna.Web.Stow;

/// <summary>
/// Compressed pixel data sent as a bulk data part of a DICOM JSON STOW-RS request (PS3.18 10.5.1: single-frame pixel data
/// in a single-frame media type, one part). The media type, and its <c>transfer-syntax</c> parameter when given, name the
/// transfer syntax; the archive stores the codestream unchanged, encapsulated in that syntax (Table 10.5.2-1 "Unchanged").
/// Before anything is stored, the first bytes of the part are checked against the syntax's family (JPEG markers, JPEG-LS
/// SOF55, the JPEG 2000 codestream and its CAP marker for HTJ2K, the RLE header), so a part that disagrees with what it
/// declares is refused rather than archived under a syntax no reader can decode.
/// </summary>
internal static class CompressedBulkData
{
    /// <summary>How much of a part's beginning is read to find its main header markers.</summary>
    private const int HeadSize = 64 * 1024;

    private static readonly Dictionary<string, (string Default, string[] Allowed)> s_mediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = ("", ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"]),
        ["image/jls"] = ("", ["1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"]),
        ["image/jp2"] = ("1.2.840.10008.1.2.4.91", ["1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"]),
        ["image/jpx"] = ("1.2.840.10008.1.2.4.93", ["1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93"]),
        ["image/jphc"] = ("1.2.840.10008.1.2.4.203", ["1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"]),
        ["image/dicom-rle"] = ("1.2.840.10008.1.2.5", ["1.2.840.10008.1.2.5"]),
    };

    /// <summary>
    /// What a bulk data part's Content-Type says: null syntax and null problem for uncompressed bytes; a syntax for
    /// compressed pixel data (empty <see cref="DicomTransferSyntax.Uid"/> never: JPEG and JPEG-LS without a parameter are
    /// resolved from the codestream by <see cref="CheckAsync"/>); or a problem.
    /// </summary>
    public static (DicomTransferSyntax? Syntax, bool FromContent, string? Problem) Classify(MediaTypeHeaderValue contentType)
    {
        var mediaType = contentType.MediaType.Value ?? string.Empty;
        var parameter = contentType.Parameters
            .FirstOrDefault(p => p.Name.Equals("transfer-syntax", StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"');
        if (mediaType.Equals(Http.DicomWebMediaTypes.OctetStream, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrEmpty(parameter))
            {
                return (null, false, null);
            }

            if (!DicomUid.IsValid(parameter))
            {
                return (null, false, $"The transfer-syntax parameter '{parameter}' is not a UID.");
            }

            var named = DicomTransferSyntax.Parse(parameter);
            if (!named.IsEncapsulated)
            {
                // A native syntax: the bytes are the uncompressed values (little endian, as PS3.18 requires).
                return named.IsBigEndian || named.IsDeflated
                    ? (null, false, $"Bulk data in {named.Name} is not accepted: send uncompressed values in little endian.")
                    : (null, false, null);
            }

            return s_mediaTypes.Values.Any(m => m.Allowed.Contains(named.Uid, StringComparer.Ordinal))
                ? (named, false, null)
                : (null, false, $"Compressed pixel data in {named.Name} is not accepted.");
        }

        if (!s_mediaTypes.TryGetValue(mediaType, out var known))
        {
            return mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
                ? (null, false, $"Pixel data of type {mediaType} would have to be transformed (PS3.18 Table 10.5.2-1); this archive stores JPEG, JPEG-LS, JPEG 2000, HTJ2K and RLE codestreams unchanged and transforms none.")
                : (null, false, $"Bulk data of type {mediaType} is not accepted: send uncompressed values as application/octet-stream.");
        }

        if (!string.IsNullOrEmpty(parameter))
        {
            return known.Allowed.Contains(parameter, StringComparer.Ordinal)
                ? (DicomTransferSyntax.Parse(parameter), false, null)
                : (null, false, $"The transfer syntax {parameter} is not one that {mediaType} can carry.");
        }

        return known.Default.Length > 0
            ? (DicomTransferSyntax.Parse(known.Default), false, null)
            : (DicomTransferSyntax.Parse(known.Allowed[0]), true, null);
    }

    /// <summary>
    /// Checks that the spooled part holds a codestream of <paramref name="syntax"/>'s family and finds the codestream in it
    /// (a JP2 file's contiguous codestream box). For JPEG and JPEG-LS named only by their media type
    /// (<paramref name="fromContent"/>), the syntax is taken from the frame header (SOF0 baseline, SOF1 extended, SOF3
    /// lossless; JPEG-LS NEAR = 0 lossless). Returns the syntax, the codestream's offset and length, or a problem.
    /// </summary>
    public static async Task<(DicomTransferSyntax? Syntax, long Offset, long Length, string? Problem)> CheckAsync(
        StowBulkPart part, bool fromContent, CancellationToken cancellationToken)
    {
        var head = new byte[(int)Math.Min(HeadSize, part.Length)];
        var stream = new FileStream(part.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
        }

        var syntax = part.Syntax!;
        var family = Family(syntax.Uid);
        string? problem;
        long offset = 0;
        var length = part.Length;
        switch (family)
        {
            case "jpeg":
                (syntax, problem) = CheckJpeg(head, syntax, fromContent);
                break;
            case "jls":
                (syntax, problem) = CheckJpegLs(head, syntax, fromContent);
                break;
            case "j2k" or "htj2k":
                if (IsJp2File(head))
                {
                    (offset, length, problem) = FindCodestreamBox(head, part.Length);
                    if (problem is not null)
                    {
                        break;
                    }

                    head = head.AsSpan((int)Math.Min(offset, head.Length)).ToArray();
                }

                problem = CheckJ2k(head, family == "htj2k", syntax);
                break;
            case "rle":
                problem = CheckRle(head, part.Length);
                break;
            default:
                problem = $"No check is known for {syntax.Name}.";
                break;
        }

        return problem is null ? (syntax, offset, length, null) : (null, 0, 0, problem);
    }

    private static string Family(string uid) => uid switch
    {
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70" => "jpeg",
        "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" => "jls",
        "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91" or "1.2.840.10008.1.2.4.92" or "1.2.840.10008.1.2.4.93" => "j2k",
        "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203" => "htj2k",
        "1.2.840.10008.1.2.5" => "rle",
        _ => "",
    };

    /// <summary>The first start-of-frame marker after SOI, skipping marker segments by their lengths; 0 when none.</summary>
    private static (byte Sof, int Position) FindFrameHeader(ReadOnlySpan<byte> head)
    {
        if (head.Length < 4 || head[0] != 0xFF || head[1] != 0xD8)
        {
            return (0, -1);
        }

        var i = 2;
        while (i + 4 <= head.Length)
        {
            if (head[i] != 0xFF)
            {
                return (0, -1);
            }

            var marker = head[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC || marker == 0xF7)
            {
                return (marker, i);
            }

            if (marker is 0xD9 or 0xDA)
            {
                return (0, -1);
            }

            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(head[(i + 2)..]);
        }

        return (0, -1);
    }

    private static (DicomTransferSyntax Syntax, string? Problem) CheckJpeg(ReadOnlySpan<byte> head, DicomTransferSyntax declared, bool fromContent)
    {
        var (sof, _) = FindFrameHeader(head);
        var found = sof switch
        {
            0xC0 => "1.2.840.10008.1.2.4.50",
            0xC1 => "1.2.840.10008.1.2.4.51",
            0xC3 => "1.2.840.10008.1.2.4.70",
            _ => null,
        };
        if (found is null)
        {
            return (declared, sof == 0
                ? "The part is not a JPEG codestream (no SOI and frame header)."
                : $"The JPEG codestream uses frame type SOF{sof - 0xC0} (0xFF{sof:X2}), which no JPEG transfer syntax this archive stores carries.");
        }

        if (fromContent)
        {
            return (DicomTransferSyntax.Parse(found), null);
        }

        // Lossless SOF3 is carried by both 4.57 and 4.70 (selection value 1); baseline data is valid extended-process data.
        var agrees = declared.Uid == found
            || (sof == 0xC3 && declared.Uid == "1.2.840.10008.1.2.4.57")
            || (sof == 0xC0 && declared.Uid == "1.2.840.10008.1.2.4.51");
        return agrees
            ? (declared, null)
            : (declared, $"The JPEG codestream (frame type 0xFF{sof:X2}) does not match the declared transfer syntax {declared.Uid}.");
    }

    private static (DicomTransferSyntax Syntax, string? Problem) CheckJpegLs(ReadOnlySpan<byte> head, DicomTransferSyntax declared, bool fromContent)
    {
        var (sof, position) = FindFrameHeader(head);
        if (sof != 0xF7)
        {
            return (declared, "The part is not a JPEG-LS codestream (no SOI and SOF55 frame header).");
        }

        // NEAR is in the first scan header: FFDA, length, Ns, Ns × (Cs, Tm), NEAR.
        var i = position;
        while (i + 4 <= head.Length && head[i] == 0xFF && head[i + 1] != 0xDA)
        {
            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(head[(i + 2)..]);
        }

        int? near = i + 5 <= head.Length && head[i] == 0xFF && head[i + 1] == 0xDA && i + 5 + (2 * head[i + 4]) < head.Length
            ? head[i + 5 + (2 * head[i + 4])]
            : null;
        if (fromContent)
        {
            return (near is 0 ? DicomTransferSyntax.JpegLSLossless : DicomTransferSyntax.JpegLSNearLossless, null);
        }

        return declared.Uid == "1.2.840.10008.1.2.4.80" && near is not 0
            ? (declared, "The JPEG-LS codestream is near-lossless (NEAR > 0) but was declared lossless (1.2.840.10008.1.2.4.80).")
            : (declared, null);
    }

    private static bool IsJp2File(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(head) == 12 && head[4..8].SequenceEqual("jP  "u8);

    /// <summary>The contiguous codestream box ('jp2c') of a JP2/JPX file, found by walking the top-level boxes.</summary>
    private static (long Offset, long Length, string? Problem) FindCodestreamBox(ReadOnlySpan<byte> head, long total)
    {
        long position = 0;
        while (position + 8 <= head.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(head[(int)position..]);
            var type = head.Slice((int)position + 4, 4);
            var header = 8L;
            if (size == 1 && position + 16 <= head.Length)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(head[((int)position + 8)..]);
                header = 16;
            }
            else if (size == 0)
            {
                size = total - position;
            }

            if (type.SequenceEqual("jp2c"u8))
            {
                return size < header || position + size > total
                    ? (0, 0, "The JPEG 2000 file's codestream box is cut short.")
                    : (position + header, size - header, null);
            }

            if (size < header)
            {
                break;
            }

            position += size;
        }

        return (0, 0, "The JPEG 2000 file has no codestream box (jp2c) in its first 64 KiB.");
    }

    private static string? CheckJ2k(ReadOnlySpan<byte> head, bool highThroughput, DicomTransferSyntax declared)
    {
        if (head.Length < 4 || head[0] != 0xFF || head[1] != 0x4F || head[2] != 0xFF || head[3] != 0x51)
        {
            return "The part is not a JPEG 2000 codestream (no SOC and SIZ markers).";
        }

        // The main header runs to the first SOT; HTJ2K codestreams carry a CAP marker (0xFF50) there, JPEG 2000 Part 1 ones none.
        var hasCap = false;
        var i = 2;
        while (i + 4 <= head.Length && head[i] == 0xFF && head[i + 1] != 0x90)
        {
            hasCap |= head[i + 1] == 0x50;
            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(head[(i + 2)..]);
        }

        if (highThroughput && !hasCap)
        {
            return $"The codestream has no CAP marker: it is not HTJ2K, as {declared.Uid} declares.";
        }

        if (!highThroughput && hasCap && declared.Uid is "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91")
        {
            return $"The codestream uses extended capabilities (CAP marker, e.g. HTJ2K), which {declared.Uid} (JPEG 2000 Part 1) cannot carry.";
        }

        return null;
    }

    private static string? CheckRle(ReadOnlySpan<byte> head, long total)
    {
        // PS3.5 G.5: a 64-byte header of 16 little-endian 32-bit values, the number of segments (1–15) and their offsets.
        if (head.Length < 64)
        {
            return "The part is too short for an RLE header (64 bytes).";
        }

        var segments = BinaryPrimitives.ReadUInt32LittleEndian(head);
        if (segments is < 1 or > 15 || BinaryPrimitives.ReadUInt32LittleEndian(head[4..]) != 64)
        {
            return "The part is not RLE Lossless data (its header does not name 1 to 15 segments starting at offset 64).";
        }

        for (var s = 1; s < segments; s++)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(head[(4 + (4 * s))..]);
            if (offset <= BinaryPrimitives.ReadUInt32LittleEndian(head[(4 * s)..]) || offset >= total)
            {
                return string.Create(CultureInfo.InvariantCulture, $"The RLE header's segment {s + 1} offset is out of order or beyond the data.");
            }
        }

        return null;
    }
}
