using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Vna.Dicom;

/// <summary>
/// Writes data sets as DICOM JSON Model objects (PS3.18 F.2). One instance serves one top-level data set on the
/// asynchronous paths: <see cref="PreloadAsync"/> reads the values held by reference that will be written inline, so that
/// <see cref="WriteDataset"/> does no synchronous I/O; without it values are read synchronously when written.
/// </summary>
internal sealed class DicomJsonDatasetWriter
{
    private const int Base64Chunk = 3 * 16 * 1024;

    private readonly DicomJsonWriterOptions _options;
    private readonly Dictionary<object, ReadOnlyMemory<byte>> _loaded = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<DicomItem, string?> _uris = new(ReferenceEqualityComparer.Instance);

    public DicomJsonDatasetWriter(DicomJsonWriterOptions options)
    {
        _options = options;
    }

    /// <summary>Loads, asynchronously, every value held by reference that <see cref="WriteDataset"/> will write inline.</summary>
    public async Task PreloadAsync(DicomDataset dataset, CancellationToken cancellationToken)
    {
        foreach (var item in dataset)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Skip(item))
            {
                continue;
            }

            switch (item)
            {
                case DicomSequence sequence:
                    foreach (var child in sequence.Items)
                    {
                        await PreloadAsync(child, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case DicomFragmentSequence fragments when ResolveUri(fragments) is null:
                    foreach (var fragment in fragments.Fragments)
                    {
                        if (fragment.BulkData is not null && !_loaded.ContainsKey(fragment))
                        {
                            _loaded[fragment] = await fragment.GetValueAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }

                    break;
                case DicomElement { IsBulkData: true, Length: > 0 } element when ResolveUri(element) is null:
                    _loaded[element] = await element.GetValueAsync(cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Writes one JSON object: an attribute per item, in tag order (which is the keys' lexicographic order).</summary>
    public void WriteDataset(Utf8JsonWriter writer, DicomDataset dataset)
    {
        writer.WriteStartObject();
        foreach (var item in dataset)
        {
            if (Skip(item))
            {
                continue;
            }

            writer.WritePropertyName(item.Tag.ToJsonKey());
            writer.WriteStartObject();
            switch (item)
            {
                case DicomSequence sequence:
                    WriteSequence(writer, sequence);
                    break;
                case DicomFragmentSequence fragments:
                    WriteFragments(writer, fragments);
                    break;
                case DicomElement element:
                    WriteElement(writer, dataset, element);
                    break;
                default:
                    // An item type this writer does not know: keep the attribute, without a value.
                    writer.WriteString("vr", JsonVR(item.VR));
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private bool Skip(DicomItem item) => item.Tag.IsGroupLength && !_options.WriteGroupLengths;

    /// <summary>The VR written for an item: UN for an unknown VR, and for an SQ that is not held as a sequence of items.</summary>
    private static string JsonVR(DicomVR vr) => DicomVRExtensions.IsDefined(vr) ? vr.Code() : "UN";

    private void WriteSequence(Utf8JsonWriter writer, DicomSequence sequence)
    {
        writer.WriteString("vr", "SQ");
        if (sequence.Items.Count == 0)
        {
            return; // PS3.18 F.2.5: an empty attribute has no "Value".
        }

        writer.WritePropertyName("Value");
        writer.WriteStartArray();
        foreach (var child in sequence.Items)
        {
            WriteDataset(writer, child); // an empty item is an empty object
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Encapsulated pixel data has no JSON form of its own: PS3.18 treats it as bulk data. Without a URI it is written as the
    /// "InlineBinary" of its whole encapsulated value field (offset table and fragment items with their headers, as in a
    /// file; see <see cref="EncapsulatedJsonValue"/>), which the reader turns back into fragments.
    /// </summary>
    private void WriteFragments(Utf8JsonWriter writer, DicomFragmentSequence fragments)
    {
        writer.WriteString("vr", JsonVR(fragments.VR));
        var uri = ResolveUri(fragments);
        if (uri is not null)
        {
            writer.WriteString("BulkDataURI", uri);
            return;
        }

        var bytes = EncapsulatedJsonValue.Encode(fragments, ValueOf);
        writer.WritePropertyName("InlineBinary");
        WriteBase64(writer, bytes);
    }

    private void WriteElement(Utf8JsonWriter writer, DicomDataset owner, DicomElement element)
    {
        var vr = element.VR == DicomVR.SQ || !DicomVRExtensions.IsDefined(element.VR) ? DicomVR.UN : element.VR;
        writer.WriteString("vr", vr.Code());
        var uri = ResolveUri(element);
        if (uri is not null)
        {
            writer.WriteString("BulkDataURI", uri);
            return;
        }

        if (element.Length == 0)
        {
            return; // PS3.18 F.2.5: present but empty, so neither "Value" nor "InlineBinary".
        }

        var value = ValueOf(element);
        if (vr.IsBulkCandidate())
        {
            writer.WritePropertyName("InlineBinary");
            WriteBase64(writer, value.Span);
            return;
        }

        switch (vr)
        {
            case DicomVR.AT:
                WriteTags(writer, value.Span);
                break;
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.SV or DicomVR.UV:
                WriteBinaryNumbers(writer, vr, value.Span);
                break;
            default:
                WriteStrings(writer, owner, element, vr, value);
                break;
        }
    }

    private void WriteStrings(Utf8JsonWriter writer, DicomDataset owner, DicomElement element, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        // DecodeStrings reads the element's value; give it the preloaded bytes when the value is held by reference.
        var inMemory = element.IsBulkData ? new DicomElement(element.Tag, element.VR, value) : element;
        var values = owner.DecodeStrings(inMemory);
        if (values.Length == 0 || (values.Length == 1 && values[0].Length == 0))
        {
            return; // only padding: an empty value
        }

        writer.WritePropertyName("Value");
        writer.WriteStartArray();
        foreach (var text in values)
        {
            if (text.Length == 0)
            {
                writer.WriteNullValue(); // PS3.18 F.2.5: an empty value among several is null
            }
            else if (vr == DicomVR.PN)
            {
                WritePersonName(writer, text);
            }
            else if (vr is DicomVR.IS or DicomVR.DS)
            {
                // IS and DS are JSON numbers, written from the original text (normalised to JSON's number grammar, so
                // "+1.5" → 1.5, ".5" → 0.5, "1." → 1) to keep its precision. Deviation: a value that is not a number at all
                // (real files hold "1A", "N/A"…) is written as a JSON string, which PS3.18 F.2.3 allows for IS and DS "to
                // preserve the original format", rather than dropped or made up.
                if (DicomJsonNumbers.TryToJsonNumber(text, out var number))
                {
                    writer.WriteRawValue(number);
                }
                else
                {
                    writer.WriteStringValue(text);
                }
            }
            else
            {
                writer.WriteStringValue(text);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>A PN value as an object of its non-empty component groups (PS3.18 F.2.2); an all-empty value is null.</summary>
    private static void WritePersonName(Utf8JsonWriter writer, string text)
    {
        var groups = text.Split('=', 3);
        if (groups.All(g => g.Length == 0))
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteGroup("Alphabetic", 0);
        WriteGroup("Ideographic", 1);
        WriteGroup("Phonetic", 2);
        writer.WriteEndObject();

        void WriteGroup(string name, int index)
        {
            if (index < groups.Length && groups[index].Length > 0)
            {
                writer.WriteString(name, groups[index]);
            }
        }
    }

    private static void WriteTags(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.WritePropertyName("Value");
        writer.WriteStartArray();
        for (var i = 0; i + 4 <= bytes.Length; i += 4)
        {
            var tag = new DicomTag(
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[i..]),
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i + 2)..]));
            writer.WriteStringValue(tag.ToJsonKey());
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// US, SS, UL, SL, FL, FD, SV, UV as JSON numbers. Deviations, both allowed or implied by PS3.18 F.2.3:
    /// FL/FD NaN and infinities, which JSON numbers cannot express, are the strings "NaN", "Infinity" and "-Infinity";
    /// SV/UV values beyond ±(2^53 − 1) are decimal strings, since JavaScript clients would round them as numbers.
    /// A trailing partial number (a value length that is not a multiple of the size) is not written.
    /// </summary>
    private static void WriteBinaryNumbers(Utf8JsonWriter writer, DicomVR vr, ReadOnlySpan<byte> bytes)
    {
        var size = vr.NumberSize();
        writer.WritePropertyName("Value");
        writer.WriteStartArray();
        for (var i = 0; i + size <= bytes.Length; i += size)
        {
            var b = bytes[i..];
            switch (vr)
            {
                case DicomVR.US:
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(b));
                    break;
                case DicomVR.SS:
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(b));
                    break;
                case DicomVR.UL:
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(b));
                    break;
                case DicomVR.SL:
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(b));
                    break;
                case DicomVR.SV:
                    var signed = BinaryPrimitives.ReadInt64LittleEndian(b);
                    if (signed is >= -DicomJsonNumbers.MaxSafeInteger and <= DicomJsonNumbers.MaxSafeInteger)
                    {
                        writer.WriteNumberValue(signed);
                    }
                    else
                    {
                        writer.WriteStringValue(signed.ToString(CultureInfo.InvariantCulture));
                    }

                    break;
                case DicomVR.UV:
                    var unsigned = BinaryPrimitives.ReadUInt64LittleEndian(b);
                    if (unsigned <= DicomJsonNumbers.MaxSafeInteger)
                    {
                        writer.WriteNumberValue(unsigned);
                    }
                    else
                    {
                        writer.WriteStringValue(unsigned.ToString(CultureInfo.InvariantCulture));
                    }

                    break;
                case DicomVR.FL:
                    var single = BinaryPrimitives.ReadSingleLittleEndian(b);
                    if (float.IsFinite(single))
                    {
                        writer.WriteNumberValue(single);
                    }
                    else
                    {
                        writer.WriteStringValue(NonFinite(single));
                    }

                    break;
                default:
                    var d = BinaryPrimitives.ReadDoubleLittleEndian(b);
                    if (double.IsFinite(d))
                    {
                        writer.WriteNumberValue(d);
                    }
                    else
                    {
                        writer.WriteStringValue(NonFinite(d));
                    }

                    break;
            }
        }

        writer.WriteEndArray();
    }

    private static string NonFinite(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    /// <summary>Base64 in segments, so that values beyond Utf8JsonWriter's single-token limit can be written.</summary>
    private static void WriteBase64(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= Base64Chunk)
        {
            writer.WriteBase64StringValue(bytes);
            return;
        }

        while (bytes.Length > Base64Chunk)
        {
            writer.WriteBase64StringSegment(bytes[..Base64Chunk], isFinalSegment: false);
            bytes = bytes[Base64Chunk..];
        }

        writer.WriteBase64StringSegment(bytes, isFinalSegment: true);
    }

    private ReadOnlyMemory<byte> ValueOf(DicomElement element) =>
        element.BulkData is null ? element.InlineValue
            : _loaded.TryGetValue(element, out var loaded) ? loaded
            : element.GetValue();

    private ReadOnlyMemory<byte> ValueOf(DicomFragment fragment)
    {
        if (fragment.BulkData is null)
        {
            return fragment.InlineValue;
        }

        if (_loaded.TryGetValue(fragment, out var loaded))
        {
            return loaded;
        }

        using var stream = fragment.BulkData.OpenRead();
        var buffer = new byte[fragment.BulkData.Length];
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>
    /// The BulkDataURI to write for an item, or null to write its value. An element read from JSON whose BulkDataURI was not
    /// resolved keeps that URI (there is no value to write). Otherwise the factory decides, for non-empty values longer than
    /// the threshold of binary VRs, encapsulated pixel data, and values held by reference of the other VRs PS3.18 F.2.2
    /// allows a BulkDataURI for.
    /// </summary>
    private string? ResolveUri(DicomItem item)
    {
        if (_uris.TryGetValue(item, out var cached))
        {
            return cached;
        }

        string? uri = null;
        if (item is DicomElement { BulkData.Source: BulkDataUriSource source })
        {
            uri = source.Uri;
        }
        else if (_options.BulkDataUriFactory is { } factory)
        {
            var (length, candidate) = item switch
            {
                DicomFragmentSequence fragments => (EncapsulatedJsonValue.GetLength(fragments), true),
                DicomElement element => (element.Length, element.VR.IsBulkCandidate()
                    || (element.IsBulkData && AllowsBulkDataUri(element.VR))),
                _ => (0L, false),
            };

            if (candidate && length > 0 && length > _options.InlineBinaryThreshold)
            {
                uri = factory(item);
            }
        }

        _uris[item] = uri;
        return uri;
    }

    private static bool AllowsBulkDataUri(DicomVR vr) => vr is DicomVR.DS or DicomVR.FL or DicomVR.FD or DicomVR.IS
        or DicomVR.LT or DicomVR.SL or DicomVR.SS or DicomVR.ST or DicomVR.SV or DicomVR.UC or DicomVR.UL or DicomVR.US
        or DicomVR.UT or DicomVR.UV;
}
