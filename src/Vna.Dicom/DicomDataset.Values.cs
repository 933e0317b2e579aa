using System.Numerics;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Vna.Dicom;

/// <summary>Typed reading and writing of values.</summary>
public sealed partial class DicomDataset
{
    /// <summary>The decoded text of a string element, all values joined by '\', trailing padding removed; null when absent.</summary>
    public string? GetString(DicomTag tag)
    {
        var element = GetElement(tag);
        if (element is null)
        {
            return null;
        }

        var values = DecodeStrings(element);
        return string.Join('\\', values);
    }

    /// <summary>The decoded values of a string element (one per backslash-separated value), padding removed.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        var element = GetElement(tag);
        return element is null ? [] : DecodeStrings(element);
    }

    /// <summary>Decodes a string element of this data set with its character set.</summary>
    public string[] DecodeStrings(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.Length == 0)
        {
            return [];
        }

        var bytes = element.GetValue().Span;
        var vr = element.VR;
        var text = vr.UsesSpecificCharacterSet() ? CharacterSet.Decode(bytes, vr) : DecodeDefault(bytes);
        if (!vr.IsMultiValuedString())
        {
            // LT, ST, UT, UR: a single value; trailing spaces are padding, leading spaces are significant (except UR).
            return [vr == DicomVR.UR ? text.Trim(' ', '\0') : text.TrimEnd(' ', '\0')];
        }

        var values = text.Split('\\');
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = TrimValue(values[i], vr);
        }

        return values;
    }

    /// <summary>The value at <paramref name="index"/> of a binary or numeric-string element as <typeparamref name="T"/>.</summary>
    public T? GetValue<T>(DicomTag tag, int index = 0)
        where T : struct, INumber<T>
    {
        var values = GetValues<T>(tag);
        return index < values.Length ? values[index] : null;
    }

    /// <summary>
    /// Every value of a numeric element (US, SS, UL, SL, SV, UV, FL, FD, OB, OW, OL, OV, OF, OD, IS, DS) converted to
    /// <typeparamref name="T"/>; empty when absent. A text value that does not parse raises <see cref="DicomDataException"/>.
    /// </summary>
    public T[] GetValues<T>(DicomTag tag)
        where T : struct, INumber<T>
    {
        var element = GetElement(tag);
        if (element is null || element.Length == 0)
        {
            return [];
        }

        var vr = element.VR;
        if (vr is DicomVR.IS or DicomVR.DS)
        {
            var strings = DecodeStrings(element);
            var result = new T[strings.Length];
            for (var i = 0; i < strings.Length; i++)
            {
                if (!decimal.TryParse(strings[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    && !(vr == DicomVR.DS && double.TryParse(strings[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                {
                    throw new DicomDataException($"{tag} {vr.Code()} value '{strings[i]}' is not a number.");
                }

                result[i] = decimal.TryParse(strings[i], NumberStyles.Float, CultureInfo.InvariantCulture, out d)
                    ? T.CreateChecked(d)
                    : T.CreateChecked(double.Parse(strings[i], NumberStyles.Float, CultureInfo.InvariantCulture));
            }

            return result;
        }

        var bytes = element.GetValue().Span;
        return vr switch
        {
            DicomVR.US or DicomVR.OW => Convert<ushort, T>(bytes),
            DicomVR.SS => Convert<short, T>(bytes),
            DicomVR.UL or DicomVR.OL => Convert<uint, T>(bytes),
            DicomVR.SL => Convert<int, T>(bytes),
            DicomVR.SV => Convert<long, T>(bytes),
            DicomVR.UV or DicomVR.OV => Convert<ulong, T>(bytes),
            DicomVR.FL or DicomVR.OF => Convert<float, T>(bytes),
            DicomVR.FD or DicomVR.OD => Convert<double, T>(bytes),
            DicomVR.OB or DicomVR.UN => Convert<byte, T>(bytes),
            _ => throw new DicomDataException($"{tag} has VR {vr.Code()}, which holds no numbers."),
        };
    }

    /// <summary>The value of a DA element; null when absent or empty. A value that is not a date raises <see cref="DicomDataException"/>.</summary>
    public DateOnly? GetDate(DicomTag tag, int index = 0)
    {
        var values = GetStrings(tag);
        return index < values.Length && values[index].Length > 0 ? DicomDateTimeParser.ParseDate(values[index]) : null;
    }

    /// <summary>The value of a TM element; null when absent or empty.</summary>
    public TimeOnly? GetTime(DicomTag tag, int index = 0)
    {
        var values = GetStrings(tag);
        return index < values.Length && values[index].Length > 0 ? DicomDateTimeParser.ParseTime(values[index]) : null;
    }

    /// <summary>The value of a DT element (with its UTC offset when it has one, else the offset (0008,0201) gives, else UTC+0).</summary>
    public DateTimeOffset? GetDateTime(DicomTag tag, int index = 0)
    {
        var values = GetStrings(tag);
        if (index >= values.Length || values[index].Length == 0)
        {
            return null;
        }

        var defaultOffset = TimeSpan.Zero;
        var tz = GetString(new DicomTag(0x0008, 0x0201));
        if (!string.IsNullOrEmpty(tz))
        {
            defaultOffset = DicomDateTimeParser.ParseOffset(tz);
        }

        return DicomDateTimeParser.ParseDateTime(values[index], defaultOffset);
    }

    /// <summary>A PN value split into its component groups and components.</summary>
    public DicomPersonName? GetPersonName(DicomTag tag, int index = 0)
    {
        var values = GetStrings(tag);
        return index < values.Length ? DicomPersonName.Parse(values[index]) : null;
    }

    /// <summary>The tags of an AT element.</summary>
    public DicomTag[] GetTags(DicomTag tag)
    {
        var element = GetElement(tag);
        if (element is null)
        {
            return [];
        }

        var bytes = element.GetValue().Span;
        var result = new DicomTag[bytes.Length / 4];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new DicomTag(
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 4)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[((i * 4) + 2)..]));
        }

        return result;
    }

    /// <summary>The raw value bytes (loading bulk data); null when absent.</summary>
    public byte[]? GetBytes(DicomTag tag) => GetElement(tag)?.GetValue().ToArray();

    /// <summary>Adds or replaces a string element; the VR is the dictionary's when not given. Values are encoded with this data set's character set.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) =>
        AddOrUpdate(tag, DicomDictionary.Lookup(tag)?.VR ?? DicomVR.UN, values);

    /// <summary>Adds or replaces a string element of the given VR.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!vr.IsString())
        {
            throw new ArgumentException($"VR {vr.Code()} is not a string VR; use AddOrUpdateValues.", nameof(vr));
        }

        var text = string.Join('\\', values);
        byte[] bytes;
        if (tag == SpecificCharacterSetTag)
        {
            bytes = System.Text.Encoding.ASCII.GetBytes(text);
            _characterSet = null;
        }
        else
        {
            bytes = vr.UsesSpecificCharacterSet() ? CharacterSet.Encode(text, vr) : System.Text.Encoding.Latin1.GetBytes(text);
        }

        AddOrUpdate(new DicomElement(tag, vr, PadToEven(bytes, vr)));
        return this;
    }

    /// <summary>Adds or replaces a binary numeric element (US, SS, UL, SL, SV, UV, FL, FD, OB, OW, OL, OV, OF, OD).</summary>
    public DicomDataset AddOrUpdateValues<T>(DicomTag tag, DicomVR vr, params T[] values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian && vr.NumberSize() > 1)
        {
            ByteSwap.InPlace(bytes, vr.NumberSize());
        }

        AddOrUpdate(new DicomElement(tag, vr, PadToEven(bytes, vr)));
        return this;
    }

    /// <summary>Adds or replaces an AT element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomTag[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var bytes = new byte[tags.Length * 4];
        for (var i = 0; i < tags.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), tags[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), tags[i].Element);
        }

        AddOrUpdate(new DicomElement(tag, DicomVR.AT, bytes));
        return this;
    }

    /// <summary>The value of the private creator that reserves the block of a private data element.</summary>
    public string? GetPrivateCreator(DicomTag tag) =>
        tag.IsPrivate && tag.Element >= 0x1000 ? GetString(tag.PrivateCreatorTag) : null;

    internal static byte[] PadToEven(byte[] bytes, DicomVR vr)
    {
        if ((bytes.Length & 1) == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = vr.PaddingByte();
        return padded;
    }

    private static string DecodeDefault(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);

    private static string TrimValue(string value, DicomVR vr) => vr switch
    {
        DicomVR.UI => value.TrimEnd('\0', ' '),
        DicomVR.AE or DicomVR.CS or DicomVR.DS or DicomVR.IS or DicomVR.DA or DicomVR.TM or DicomVR.DT or DicomVR.AS
            => value.Trim(' ', '\0'),
        _ => value.TrimEnd(' ', '\0'),
    };

    private static T[] Convert<TSource, T>(ReadOnlySpan<byte> bytes)
        where TSource : unmanaged, INumber<TSource>
        where T : struct, INumber<T>
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<TSource>();
        var whole = bytes[..(bytes.Length - (bytes.Length % size))];
        var source = MemoryMarshal.Cast<byte, TSource>(whole);
        var result = new T[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            var value = BitConverter.IsLittleEndian ? source[i] : ReverseIfNeeded(source[i]);
            result[i] = T.CreateTruncating(value);
        }

        return result;
    }

    private static TSource ReverseIfNeeded<TSource>(TSource value)
        where TSource : unmanaged
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<TSource>();
        Span<byte> b = stackalloc byte[size];
        MemoryMarshal.Write(b, in value);
        b.Reverse();
        return MemoryMarshal.Read<TSource>(b);
    }
}
