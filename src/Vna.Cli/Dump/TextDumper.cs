using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Vna.Dicom;

namespace Vna.Cli.Dump;

/// <summary>
/// A readable listing in the style of DCMTK's dcmdump: a header per file, then one line per element,
/// <c>(0010,0010) PN [Doe^John]                              #   8, 1 PatientName</c> (tag, VR, value, then length in bytes,
/// value multiplicity and keyword), items of sequences indented by two spaces per level, then the reader's warnings.
/// Text is decoded and shown in brackets, numbers are printed, binary values show their first bytes (OW: words), values
/// kept by reference show <c>(bulk data: N bytes)</c>. Long values are cut with "...". Lines are built in one reused
/// buffer: this runs once per element of every file (<c>vna dump</c> is measured against dcmdump).
/// </summary>
internal sealed class TextDumper : IFileDumper
{
    /// <summary>Width of the value column (as dcmdump's).</summary>
    private const int ValueWidth = 40;

    /// <summary>Text longer than this is cut and ends with "..." (dcmdump's default).</summary>
    private const int MaxTextLength = 64;

    /// <summary>At most this many numbers or bytes are printed per element.</summary>
    private const int MaxItems = 16;

    /// <summary>Text values longer than this many bytes are decoded in part (enough for <see cref="MaxTextLength"/> characters).</summary>
    private const int LongText = 512;

    private const string NoValue = "(no value available)";
    private const string Unknown = "Unknown Tag & Data";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The writer of the last output stream: the runner reuses one buffer per file, so one writer serves a whole run.</summary>
    [ThreadStatic]
    private static StreamWriter? t_writer;

    [ThreadStatic]
    private static StringBuilder? t_line;

    public void WriteFile(Stream output, string path, DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var writer = WriterFor(output);
        try
        {
            WriteFile(writer, path, file);
            writer.Flush();
        }
        catch
        {
            // Unwritten text of a failed file must not reach the next one.
            t_writer = null;
            throw;
        }
    }

    public void WriteError(Stream output, string path, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var writer = WriterFor(output);
        writer.Write("# File: ");
        writer.Write(path);
        writer.Write("\n# Error: ");
        writer.Write(DumpErrors.Describe(error));
        writer.Write("\n\n");
        writer.Flush();
    }

    private static StreamWriter WriterFor(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (t_writer is not { } writer || !ReferenceEquals(writer.BaseStream, output))
        {
            writer = new StreamWriter(output, Utf8NoBom, 16 * 1024, leaveOpen: true) { NewLine = "\n" };
            t_writer = writer;
        }

        return writer;
    }

    private static void WriteFile(StreamWriter writer, string path, DicomFile file)
    {
        var syntax = file.TransferSyntax;
        writer.Write("# File: ");
        writer.Write(path);
        writer.Write("\n# Transfer Syntax: ");
        writer.Write(syntax.Uid);
        var name = syntax.Name;
        if (!string.Equals(name, syntax.Uid, StringComparison.Ordinal))
        {
            writer.Write(" (");
            writer.Write(name);
            writer.Write(')');
        }

        writer.Write('\n');
        if (!file.HasPreamble)
        {
            writer.Write(file.HasFileMetaInformation ? "# No preamble\n" : "# No preamble, no File Meta Information\n");
        }

        var line = t_line ??= new StringBuilder(256);
        if (file.FileMetaInformation.Count > 0)
        {
            writer.Write("# Dicom-Meta-Information-Header\n");
            WriteDataset(writer, line, file.FileMetaInformation, 0);
        }

        writer.Write("# Dicom-Data-Set\n");
        WriteDataset(writer, line, file.Dataset, 0);
        if (file.IsPartial)
        {
            writer.Write("# (reading stopped at Pixel Data)\n");
        }

        foreach (var warning in file.Warnings)
        {
            writer.Write("# Warning: ");
            writer.Write(warning.ToString());
            writer.Write('\n');
        }

        writer.Write('\n');
    }


    private static void WriteDataset(StreamWriter writer, StringBuilder line, DicomDataset dataset, int depth)
    {
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomSequence sequence:
                    Start(line, depth, item.Tag, "SQ");
                    var count = sequence.Items.Count;
                    var start = line.Length;
                    line.Append("(Sequence with ");
                    AppendCount(line, count, "item");
                    line.Append(')');
                    End(writer, line, start, -1, 1, Keyword(dataset, item.Tag));
                    for (var i = 0; i < count; i++)
                    {
                        var child = sequence.Items[i];
                        Start(line, depth + 1, DicomTag.Item, "na");
                        start = line.Length;
                        line.Append("(Item #");
                        AppendNumber(line, i + 1);
                        line.Append(" with ");
                        AppendCount(line, child.Count, "element");
                        line.Append(')');
                        End(writer, line, start, -1, 1, "Item");
                        WriteDataset(writer, line, child, depth + 2);
                    }

                    break;
                case DicomFragmentSequence fragments:
                    Start(line, depth, item.Tag, item.VR.Code());
                    start = line.Length;
                    line.Append("(PixelSequence with ");
                    AppendCount(line, fragments.Fragments.Count + 1, "item");
                    line.Append(')');
                    End(writer, line, start, -1, 1, Keyword(dataset, item.Tag));

                    var table = fragments.BasicOffsetTable;
                    Start(line, depth + 1, DicomTag.Item, "pi");
                    start = line.Length;
                    if (table.Count == 0)
                    {
                        line.Append(NoValue);
                    }

                    for (var i = 0; i < table.Count && i < MaxItems; i++)
                    {
                        AppendSeparator(line, i);
                        AppendNumber(line, table[i]);
                    }

                    if (table.Count > MaxItems)
                    {
                        line.Append("\\...");
                    }

                    End(writer, line, start, table.Count * 4L, table.Count, "Item (Basic Offset Table)");
                    foreach (var fragment in fragments.Fragments)
                    {
                        Start(line, depth + 1, DicomTag.Item, "pi");
                        start = line.Length;
                        if (fragment.BulkData is not null)
                        {
                            AppendBulk(line, fragment.Length);
                        }
                        else
                        {
                            AppendHexBytes(line, fragment.InlineValue.Span);
                        }

                        End(writer, line, start, fragment.Length, 1, "Item");
                    }

                    break;
                case DicomElement element:
                    Start(line, depth, item.Tag, item.VR.Code());
                    start = line.Length;
                    var vm = AppendValue(line, dataset, element);
                    End(writer, line, start, element.Length, vm, Keyword(dataset, item.Tag));
                    break;
                default:
                    Start(line, depth, item.Tag, item.VR.Code());
                    start = line.Length;
                    line.Append("(unknown item)");
                    End(writer, line, start, -1, -1, Keyword(dataset, item.Tag));
                    break;
            }
        }
    }

    /// <summary>Indentation, "(gggg,eeee) VR ".</summary>
    private static void Start(StringBuilder line, int depth, DicomTag tag, string vr)
    {
        line.Clear();
        line.Append(' ', depth * 2);
        line.Append('(');
        AppendHex4(line, tag.Group);
        line.Append(',');
        AppendHex4(line, tag.Element);
        line.Append(") ").Append(vr).Append(' ');
    }

    /// <summary>Pads the value column, appends " # length, VM keyword" and writes the line. Negative numbers print as "-".</summary>
    private static void End(StreamWriter writer, StringBuilder line, int valueStart, long length, int vm, string keyword)
    {
        var valueLength = line.Length - valueStart;
        if (valueLength < ValueWidth)
        {
            line.Append(' ', ValueWidth - valueLength);
        }

        line.Append(" # ");
        if (length < 0)
        {
            line.Append("  -");
        }
        else
        {
            if (length < 100)
            {
                line.Append(' ', length < 10 ? 2 : 1);
            }

            AppendNumber(line, length);
        }

        line.Append(", ");
        if (vm < 0)
        {
            line.Append('-');
        }
        else
        {
            AppendNumber(line, vm);
        }

        line.Append(' ').Append(keyword).Append('\n');
        writer.Write(line);
    }

    private static string Keyword(DicomDataset dataset, DicomTag tag)
    {
        if (tag.IsPrivate)
        {
            if (tag.IsPrivateCreator)
            {
                return "PrivateCreator";
            }

            string? creator;
            try
            {
                creator = tag.Element >= 0x1000 ? dataset.GetPrivateCreator(tag) : null;
            }
            catch (DicomDataException)
            {
                creator = null;
            }

            var privateEntry = DicomDictionary.LookupPrivate(tag, creator);
            return privateEntry is null ? Unknown : privateEntry.Keyword.Length > 0 ? privateEntry.Keyword : privateEntry.Name;
        }

        var entry = DicomDictionary.Lookup(tag);
        return entry is null ? Unknown : entry.Keyword.Length > 0 ? entry.Keyword : entry.Name;
    }

    /// <summary>Appends the value column of an element; returns its value multiplicity.</summary>
    private static int AppendValue(StringBuilder line, DicomDataset dataset, DicomElement element)
    {
        if (element.Length == 0)
        {
            line.Append(NoValue);
            return 0;
        }

        if (element.BulkData is not null)
        {
            AppendBulk(line, element.Length);
            return 1;
        }

        var vr = element.VR;
        var bytes = element.InlineValue.Span;
        if (vr.IsString())
        {
            return AppendText(line, dataset, element);
        }

        switch (vr)
        {
            case DicomVR.US:
                return AppendNumbers(line, bytes, 2, static (b, l) => AppendNumber(l, BinaryPrimitives.ReadUInt16LittleEndian(b)));
            case DicomVR.SS:
                return AppendNumbers(line, bytes, 2, static (b, l) => AppendNumber(l, BinaryPrimitives.ReadInt16LittleEndian(b)));
            case DicomVR.UL:
                return AppendNumbers(line, bytes, 4, static (b, l) => AppendNumber(l, BinaryPrimitives.ReadUInt32LittleEndian(b)));
            case DicomVR.SL:
                return AppendNumbers(line, bytes, 4, static (b, l) => AppendNumber(l, BinaryPrimitives.ReadInt32LittleEndian(b)));
            case DicomVR.UV:
                return AppendNumbers(line, bytes, 8, static (b, l) => AppendNumber(l, BinaryPrimitives.ReadUInt64LittleEndian(b)));
            case DicomVR.SV:
                return AppendNumbers(line, bytes, 8, static (b, l) => AppendNumber(l, BinaryPrimitives.ReadInt64LittleEndian(b)));
            case DicomVR.FL:
                return AppendNumbers(line, bytes, 4, static (b, l) => AppendNumber(l, BinaryPrimitives.ReadSingleLittleEndian(b)));
            case DicomVR.FD:
                return AppendNumbers(line, bytes, 8, static (b, l) => AppendNumber(l, BinaryPrimitives.ReadDoubleLittleEndian(b)));
            case DicomVR.AT:
                return AppendNumbers(line, bytes, 4, static (b, l) =>
                {
                    l.Append('(');
                    AppendHex4(l, BinaryPrimitives.ReadUInt16LittleEndian(b));
                    l.Append(',');
                    AppendHex4(l, BinaryPrimitives.ReadUInt16LittleEndian(b[2..]));
                    l.Append(')');
                });
            case DicomVR.OW:
                AppendHexWords(line, bytes);
                return 1;
            default:
                AppendHexBytes(line, bytes);
                return 1;
        }
    }

    private static int AppendText(StringBuilder line, DicomDataset dataset, DicomElement element)
    {
        var vr = element.VR;
        var bytes = element.InlineValue;
        int? multiplicity = null;
        if (bytes.Length > LongText && (!vr.IsMultiValuedString() || !vr.UsesSpecificCharacterSet()))
        {
            // Long text (contour data, reports): only the start is shown, so only the start is decoded. The values are
            // counted on the bytes, which is exact for the default repertoire; LT, ST, UT and UR hold one value.
            multiplicity = vr.IsMultiValuedString() ? bytes.Span.Count((byte)'\\') + 1 : 1;
            element = new DicomElement(element.Tag, vr, bytes[..LongText]);
        }

        string[] values;
        try
        {
            values = dataset.DecodeStrings(element);
        }
        catch (DicomDataException ex)
        {
            line.Append("(undecodable: ").Append(ex.Message).Append(')');
            return -1;
        }

        line.Append('[');
        var start = line.Length;
        for (var i = 0; i < values.Length; i++)
        {
            AppendSeparator(line, i);
            line.Append(values[i]);
            if (line.Length - start > MaxTextLength)
            {
                line.Length = start + MaxTextLength;
                line.Append("...");
                break;
            }
        }

        if (multiplicity is not null && line[^1] != '.')
        {
            line.Append("...");
        }

        line.Append(']');
        return multiplicity ?? values.Length;
    }

    private delegate void NumberAppender(ReadOnlySpan<byte> bytes, StringBuilder line);

    private static int AppendNumbers(StringBuilder line, ReadOnlySpan<byte> bytes, int size, NumberAppender append)
    {
        var count = bytes.Length / size;
        for (var i = 0; i < count && i < MaxItems; i++)
        {
            AppendSeparator(line, i);
            append(bytes.Slice(i * size, size), line);
        }

        if (count > MaxItems)
        {
            line.Append("\\...");
        }

        return count;
    }

    private static void AppendHexBytes(StringBuilder line, ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length && i < MaxItems; i++)
        {
            AppendSeparator(line, i);
            line.Append(LowerHexDigit(bytes[i] >> 4)).Append(LowerHexDigit(bytes[i] & 0xF));
        }

        if (bytes.Length > MaxItems)
        {
            line.Append("\\...");
        }
    }

    private static void AppendHexWords(StringBuilder line, ReadOnlySpan<byte> bytes)
    {
        var count = bytes.Length / 2;
        for (var i = 0; i < count && i < MaxItems; i++)
        {
            AppendSeparator(line, i);
            var word = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]);
            for (var shift = 12; shift >= 0; shift -= 4)
            {
                line.Append(LowerHexDigit((word >> shift) & 0xF));
            }
        }

        if (count > MaxItems || (bytes.Length & 1) == 1)
        {
            line.Append("\\...");
        }
    }

    private static void AppendSeparator(StringBuilder line, int index)
    {
        if (index > 0)
        {
            line.Append('\\');
        }
    }

    private static void AppendBulk(StringBuilder line, long length)
    {
        line.Append("(bulk data: ");
        AppendNumber(line, length);
        line.Append(" bytes)");
    }

    private static void AppendCount(StringBuilder line, int n, string noun)
    {
        AppendNumber(line, n);
        line.Append(' ').Append(noun);
        if (n != 1)
        {
            line.Append('s');
        }
    }

    /// <summary>Uppercase, as <see cref="DicomTag.ToString"/> prints tags.</summary>
    private static void AppendHex4(StringBuilder line, ushort value)
    {
        line.Append(HexDigit(value >> 12)).Append(HexDigit((value >> 8) & 0xF)).Append(HexDigit((value >> 4) & 0xF)).Append(HexDigit(value & 0xF));
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    /// <summary>Value bytes in lowercase hex, as dcmdump prints them.</summary>
    private static char LowerHexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static void AppendNumber<T>(StringBuilder line, T value)
        where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[32];
        if (value.TryFormat(buffer, out var written, format: default, CultureInfo.InvariantCulture))
        {
            line.Append(buffer[..written]);
        }
        else
        {
            line.Append(value.ToString(null, CultureInfo.InvariantCulture));
        }
    }
}
