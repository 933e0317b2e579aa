using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vna.Dicom;

namespace Vna.Cli.Dump;

/// <summary>
/// The normalised form of a read file that tests/tools/pydicom_dump.py prints from pydicom, so the two readers can be
/// compared value by value (the hidden <c>vna dump --canonical</c>). Keep the two in step; the format and the reasons for
/// each normalisation are described at the top of the Python script:
/// <code>
/// {"path": P, "transferSyntax": UID, "meta": [ELEMENT...], "dataset": [ELEMENT...]}   or   {"path": P, "error": MESSAGE}
/// ELEMENT = {"tag": "GGGGEEEE", "vr": "XX", "value": VALUE}
/// </code>
/// Text: the decoded values, trailing spaces and NULs removed from each value, leading spaces removed for AE, CS, DS, IS
/// and UR, trailing '=' (empty component groups) removed from PN values, a lone empty value reported as no value. Numbers as numbers, AT as "GGGGEEEE", binary values as length and
/// SHA-256 of their little-endian bytes, sequences nested, encapsulated pixel data as offset table and fragment digests.
/// </summary>
internal sealed class CanonicalDumper : IFileDumper
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    void IFileDumper.WriteFile(Stream output, string path, DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            Write(writer, path, file);
        }

        output.WriteByte((byte)'\n');
    }

    void IFileDumper.WriteError(Stream output, string path, Exception error)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            WriteError(writer, path, DumpErrors.Describe(error));
        }

        output.WriteByte((byte)'\n');
    }

    /// <summary>The canonical line (without the newline) of a file read successfully.</summary>
    public static string ToJson(string path, DicomFile file)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, path, file);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter writer, string path, DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(file);
        writer.WriteStartObject();
        writer.WriteString("path", path);
        writer.WriteString("transferSyntax", file.TransferSyntax.Uid);
        writer.WritePropertyName("meta");
        WriteDataset(writer, file.FileMetaInformation);
        writer.WritePropertyName("dataset");
        WriteDataset(writer, file.Dataset);
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, string path, string message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("path", path);
        writer.WriteString("error", message);
        writer.WriteEndObject();
    }

    private static void WriteDataset(Utf8JsonWriter writer, DicomDataset dataset)
    {
        writer.WriteStartArray();
        foreach (var item in dataset)
        {
            writer.WriteStartObject();
            writer.WriteString("tag", item.Tag.ToJsonKey());
            writer.WriteString("vr", item.VR.Code());
            writer.WritePropertyName("value");
            switch (item)
            {
                case DicomSequence sequence:
                    writer.WriteStartArray();
                    foreach (var child in sequence.Items)
                    {
                        WriteDataset(writer, child);
                    }

                    writer.WriteEndArray();
                    break;
                case DicomFragmentSequence fragments:
                    WriteFragments(writer, fragments);
                    break;
                case DicomElement element:
                    WriteValue(writer, dataset, element);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteFragments(Utf8JsonWriter writer, DicomFragmentSequence fragments)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("offsets");
        foreach (var offset in fragments.BasicOffsetTable)
        {
            writer.WriteNumberValue(offset);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("fragments");
        foreach (var fragment in fragments.Fragments)
        {
            if (fragment.BulkData is { } bulk)
            {
                using var stream = bulk.OpenRead();
                WriteDigest(writer, bulk.Length, SHA256.HashData(stream));
            }
            else
            {
                WriteDigest(writer, fragment.Length, SHA256.HashData(fragment.InlineValue.Span));
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, DicomDataset dataset, DicomElement element)
    {
        var vr = element.VR;
        if (vr.IsString())
        {
            writer.WriteStartArray();
            foreach (var value in NormaliseText(dataset.DecodeStrings(element), vr))
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
            return;
        }

        if (element.IsBulkData || vr.IsBulkCandidate() || vr == DicomVR.None)
        {
            if (element.BulkData is { } bulk)
            {
                using var stream = bulk.OpenRead();
                WriteDigest(writer, bulk.Length, SHA256.HashData(stream));
            }
            else
            {
                WriteDigest(writer, element.Length, SHA256.HashData(element.InlineValue.Span));
            }

            return;
        }

        var bytes = element.GetValue().Span;
        writer.WriteStartArray();
        switch (vr)
        {
            case DicomVR.AT:
                for (var i = 0; i + 4 <= bytes.Length; i += 4)
                {
                    var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(bytes[i..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i + 2)..]));
                    writer.WriteStringValue(tag.ToJsonKey());
                }

                break;
            case DicomVR.US:
                for (var i = 0; i + 2 <= bytes.Length; i += 2)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(bytes[i..]));
                }

                break;
            case DicomVR.SS:
                for (var i = 0; i + 2 <= bytes.Length; i += 2)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(bytes[i..]));
                }

                break;
            case DicomVR.UL:
                for (var i = 0; i + 4 <= bytes.Length; i += 4)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..]));
                }

                break;
            case DicomVR.SL:
                for (var i = 0; i + 4 <= bytes.Length; i += 4)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(bytes[i..]));
                }

                break;
            case DicomVR.SV:
                for (var i = 0; i + 8 <= bytes.Length; i += 8)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(bytes[i..]));
                }

                break;
            case DicomVR.UV:
                for (var i = 0; i + 8 <= bytes.Length; i += 8)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]));
                }

                break;
            case DicomVR.FL:
                for (var i = 0; i + 4 <= bytes.Length; i += 4)
                {
                    WriteDouble(writer, BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
                }

                break;
            case DicomVR.FD:
                for (var i = 0; i + 8 <= bytes.Length; i += 8)
                {
                    WriteDouble(writer, BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
                }

                break;
            default:
                break;
        }

        writer.WriteEndArray();
    }

    /// <summary>The normalisation tests/tools/pydicom_dump.py applies to pydicom's values (see there for the reasons).</summary>
    public static List<string> NormaliseText(IReadOnlyList<string> values, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new List<string>(values.Count);
        var leading = vr is DicomVR.AE or DicomVR.CS or DicomVR.DS or DicomVR.IS or DicomVR.UR;
        foreach (var value in values)
        {
            var s = value.TrimEnd(' ', '\0');
            if (leading)
            {
                s = s.TrimStart(' ');
            }

            result.Add(vr == DicomVR.PN ? s.TrimEnd('=') : s);
        }

        if (result.Count == 1 && result[0].Length == 0)
        {
            result.Clear();
        }

        return result;
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteStringValue("NaN");
        }
        else if (double.IsInfinity(value))
        {
            writer.WriteStringValue(value > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private static void WriteDigest(Utf8JsonWriter writer, long length, byte[] hash)
    {
        writer.WriteStartObject();
        writer.WriteNumber("length", length);
        writer.WriteString("sha256", Convert.ToHexStringLower(hash));
        writer.WriteEndObject();
    }
}
