using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Vna.Dicom;

/// <summary>
/// Reads DICOM JSON Model objects (PS3.18 F.2) into data sets. Text of the VRs that use the Specific Character Set
/// (SH, LO, ST, LT, UC, UT, PN) is encoded once the whole document is read, per character-set scope: the top-level data set
/// and each item that has its own (0008,0005). A scope keeps the (0008,0005) the document gives when it can encode all
/// the scope's text, and gets "ISO_IR 192" otherwise; a scope without one gets "ISO_IR 192" only when some text is not ASCII.
/// </summary>
internal sealed class DicomJsonDatasetReader
{
    private const string Utf8Term = "ISO_IR 192";

    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    private readonly DicomJsonReaderOptions _options;
    private readonly List<CharacterSetScope> _scopes = [];

    public DicomJsonDatasetReader(DicomJsonReaderOptions options)
    {
        _options = options;
    }

    private bool Strict => _options.Strict;

    public DicomDataset Read(JsonElement element, string path)
    {
        _scopes.Clear();
        var dataset = ReadDataset(element, path, null, null);
        foreach (var scope in _scopes)
        {
            EncodeText(scope);
        }

        _scopes.Clear();
        return dataset;
    }

    private DicomDataset ReadDataset(JsonElement json, string path, CharacterSetScope? enclosing, string? parentKey)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Error($"Expected a DICOM JSON object, found {Describe(json)}", path, parentKey);
        }

        var dataset = new DicomDataset();
        var scope = enclosing;
        if (scope is null || json.TryGetProperty(SpecificCharacterSet.ToJsonKey(), out _))
        {
            scope = new CharacterSetScope(dataset);
            _scopes.Add(scope);
        }

        var seen = new HashSet<uint>();
        DicomTag? previous = null;
        foreach (var property in json.EnumerateObject())
        {
            var key = property.Name;
            var keyPath = PathOf(path, key);
            if (!TryParseKey(key, out var tag))
            {
                throw Error($"'{key}' is not an attribute key (8 {(Strict ? "upper-case " : string.Empty)}hexadecimal digits, group then element)", keyPath, key);
            }

            if (tag.IsDelimiter)
            {
                throw Error($"{tag} is an item delimiter, not an attribute", keyPath, key);
            }

            if (Strict && previous is { } p && p >= tag)
            {
                throw Error(p == tag ? "Duplicate attribute key" : "Attribute keys are not in ascending order", keyPath, key);
            }

            previous = tag;
            if (!seen.Add(tag.Value))
            {
                continue; // a repeated key: the first occurrence is kept, as for a repeated tag in a file
            }

            try
            {
                ReadAttribute(dataset, tag, property.Value, keyPath, key, scope);
            }
            catch (Exception ex) when (ex is not DicomJsonException and not OperationCanceledException and not OutOfMemoryException)
            {
                throw Error($"The attribute cannot be read: {ex.Message}", keyPath, key, ex);
            }
        }

        return dataset;
    }

    private void ReadAttribute(DicomDataset dataset, DicomTag tag, JsonElement json, string path, string key, CharacterSetScope scope)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Error($"An attribute must be a JSON object with a \"vr\", found {Describe(json)}", path, key);
        }

        JsonElement? vrJson = null, value = null, inline = null, bulk = null;
        foreach (var member in json.EnumerateObject())
        {
            switch (member.Name)
            {
                case "vr":
                    Set(ref vrJson, member);
                    break;
                case "Value":
                    Set(ref value, member);
                    break;
                case "InlineBinary":
                    Set(ref inline, member);
                    break;
                case "BulkDataURI":
                    Set(ref bulk, member);
                    break;
                default:
                    if (Strict)
                    {
                        throw Error($"Unknown member \"{member.Name}\"", PathOf(path, member.Name), key);
                    }

                    break;
            }
        }

        var vr = ReadVR(tag, vrJson, path, key);
        value = NullAsAbsent(value, "Value", path, key);
        inline = NullAsAbsent(inline, "InlineBinary", path, key);
        bulk = NullAsAbsent(bulk, "BulkDataURI", path, key);
        if ((value.HasValue ? 1 : 0) + (inline.HasValue ? 1 : 0) + (bulk.HasValue ? 1 : 0) > 1)
        {
            throw Error("An attribute has at most one of \"Value\", \"InlineBinary\" and \"BulkDataURI\"", path, key);
        }

        if (bulk is { } uriJson)
        {
            dataset.Add(ReadBulkDataUri(tag, vr, uriJson, PathOf(path, "BulkDataURI"), key));
        }
        else if (inline is { } base64)
        {
            dataset.Add(ReadInlineBinary(tag, vr, base64, PathOf(path, "InlineBinary"), key));
        }
        else if (value is not { } array)
        {
            dataset.Add(vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty));
        }
        else
        {
            var valuePath = PathOf(path, "Value");
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw Error($"\"Value\" must be an array, found {Describe(array)}", valuePath, key);
            }

            ReadValue(dataset, tag, vr, array, valuePath, key, scope);
        }

        void Set(ref JsonElement? slot, JsonProperty member)
        {
            if (Strict && slot.HasValue)
            {
                throw Error($"Duplicate member \"{member.Name}\"", PathOf(path, member.Name), key);
            }

            slot = member.Value; // otherwise the last one counts, as in most JSON readers
        }
    }

    private JsonElement? NullAsAbsent(JsonElement? member, string name, string path, string key)
    {
        if (member is { ValueKind: JsonValueKind.Null })
        {
            if (Strict)
            {
                throw Error($"\"{name}\" is null; leave it out for an empty value", PathOf(path, name), key);
            }

            return null;
        }

        return member;
    }

    private DicomVR ReadVR(DicomTag tag, JsonElement? json, string path, string key)
    {
        if (json is not { } vrJson)
        {
            if (Strict)
            {
                throw Error("The attribute has no \"vr\"", path, key);
            }

            var known = DicomDictionary.Lookup(tag)?.VR;
            if (known is not { } dictionaryVR || !DicomVRExtensions.IsDefined(dictionaryVR))
            {
                throw Error("The attribute has no \"vr\" and its tag is not in the dictionary", path, key);
            }

            return dictionaryVR;
        }

        if (vrJson.ValueKind != JsonValueKind.String)
        {
            throw Error($"\"vr\" must be a string, found {Describe(vrJson)}", PathOf(path, "vr"), key);
        }

        var code = vrJson.GetString()!;
        var vr = DicomVRExtensions.FromCode(code);
        if (vr is not { } parsed || !DicomVRExtensions.IsDefined(parsed))
        {
            throw Error($"Unknown VR '{code}'", PathOf(path, "vr"), key);
        }

        return parsed;
    }

    private DicomElement ReadBulkDataUri(DicomTag tag, DicomVR vr, JsonElement json, string path, string key)
    {
        if (vr == DicomVR.SQ)
        {
            throw Error("A sequence cannot have a BulkDataURI", path, key);
        }

        if (json.ValueKind != JsonValueKind.String || json.GetString() is not { Length: > 0 } uri)
        {
            throw Error($"\"BulkDataURI\" must be a non-empty string, found {Describe(json)}", path, key);
        }

        if (Strict && !vr.IsBulkCandidate() && !AllowsBulkDataUri(vr))
        {
            throw Error($"VR {vr.Code()} does not allow a BulkDataURI", path, key);
        }

        var reference = _options.BulkDataResolver?.Invoke(uri, tag, vr)
            ?? new BulkDataReference(new BulkDataUriSource(uri), 0, 0);
        return new DicomElement(tag, vr, reference);
    }

    private DicomItem ReadInlineBinary(DicomTag tag, DicomVR vr, JsonElement json, string path, string key)
    {
        if (vr == DicomVR.SQ)
        {
            throw Error("A sequence cannot have InlineBinary", path, key);
        }

        if (Strict && !vr.IsBulkCandidate())
        {
            throw Error($"VR {vr.Code()} does not allow InlineBinary", path, key);
        }

        if (json.ValueKind != JsonValueKind.String)
        {
            throw Error($"\"InlineBinary\" must be a base64 string, found {Describe(json)}", path, key);
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(json.GetString()!);
        }
        catch (FormatException ex)
        {
            throw Error("\"InlineBinary\" is not valid base64", path, key, ex);
        }

        return (DicomItem?)EncapsulatedJsonValue.TryDecode(tag, vr, bytes) ?? new DicomElement(tag, vr, bytes);
    }

    private void ReadValue(DicomDataset dataset, DicomTag tag, DicomVR vr, JsonElement array, string path, string key, CharacterSetScope scope)
    {
        switch (vr)
        {
            case DicomVR.SQ:
                var sequence = new DicomSequence(tag);
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    var itemPath = Index(path, index++);
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        throw Error($"A sequence item must be a JSON object, found {Describe(item)}", itemPath, key);
                    }

                    sequence.Add(ReadDataset(item, itemPath, scope, key));
                }

                dataset.Add(sequence);
                break;
            case DicomVR.AT:
                dataset.Add(new DicomElement(tag, vr, ReadTags(array, path, key)));
                break;
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.SV or DicomVR.UV or DicomVR.FL or DicomVR.FD:
                dataset.Add(new DicomElement(tag, vr, ReadNumbers(array, vr, vr, path, key)));
                break;
            case DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN:
                if (Strict)
                {
                    throw Error($"VR {vr.Code()} is written as \"InlineBinary\" or \"BulkDataURI\", not \"Value\"", path, key);
                }

                // Accepted leniently: the numbers of the VR's unit (bytes for OB and UN).
                var unit = vr switch
                {
                    DicomVR.OD => DicomVR.FD,
                    DicomVR.OF => DicomVR.FL,
                    DicomVR.OL => DicomVR.UL,
                    DicomVR.OV => DicomVR.UV,
                    DicomVR.OW => DicomVR.US,
                    _ => DicomVR.None,
                };
                var bytes = ReadNumbers(array, vr, unit, path, key);
                dataset.Add(new DicomElement(tag, vr, DicomDataset.PadToEven(bytes, vr)));
                break;
            default:
                var values = vr == DicomVR.PN ? ReadPersonNames(array, path, key) : ReadStrings(array, vr, path, key);
                CheckStrings(values, vr, path, key, out var joined);
                if (vr.UsesSpecificCharacterSet())
                {
                    scope.Texts.Add(new PendingText(dataset, tag, vr, joined, path, key));
                }
                else
                {
                    dataset.AddOrUpdate(tag, vr, joined);
                }

                break;
        }
    }

    private string[] ReadStrings(JsonElement array, DicomVR vr, string path, string key)
    {
        var values = new string[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i] = item.ValueKind switch
            {
                JsonValueKind.Null => string.Empty,
                JsonValueKind.String => item.GetString()!,
                // IS and DS are JSON numbers: keep the literal as written (a DS fitted to 16 characters).
                JsonValueKind.Number when vr == DicomVR.DS => DicomJsonNumbers.FitDecimalString(item.GetRawText()),
                JsonValueKind.Number when vr == DicomVR.IS => item.GetRawText(),
                _ => throw Error($"Expected a {(vr is DicomVR.IS or DicomVR.DS ? "number or string" : "string")} for VR {vr.Code()}, found {Describe(item)}", Index(path, i), key),
            };
            i++;
        }

        return values;
    }

    /// <summary>PN values: objects of "Alphabetic", "Ideographic", "Phonetic" (null for an empty value) joined with '='.</summary>
    private string[] ReadPersonNames(JsonElement array, string path, string key)
    {
        var values = new string[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = Index(path, i);
            switch (item.ValueKind)
            {
                case JsonValueKind.Null:
                    values[i] = string.Empty;
                    break;
                case JsonValueKind.String when !Strict:
                    values[i] = item.GetString()!; // some implementations write PN as a plain string
                    break;
                case JsonValueKind.Object:
                    string alphabetic = string.Empty, ideographic = string.Empty, phonetic = string.Empty;
                    foreach (var group in item.EnumerateObject())
                    {
                        var groupPath = PathOf(itemPath, group.Name);
                        switch (group.Name)
                        {
                            case "Alphabetic":
                                alphabetic = GroupText(group.Value, groupPath);
                                break;
                            case "Ideographic":
                                ideographic = GroupText(group.Value, groupPath);
                                break;
                            case "Phonetic":
                                phonetic = GroupText(group.Value, groupPath);
                                break;
                            default:
                                if (Strict)
                                {
                                    throw Error($"Unknown person name component group \"{group.Name}\"", groupPath, key);
                                }

                                break;
                        }
                    }

                    values[i] = phonetic.Length > 0 ? $"{alphabetic}={ideographic}={phonetic}"
                        : ideographic.Length > 0 ? $"{alphabetic}={ideographic}"
                        : alphabetic;
                    break;
                default:
                    throw Error($"Expected a person name object for VR PN, found {Describe(item)}", itemPath, key);
            }

            i++;
        }

        return values;

        string GroupText(JsonElement group, string groupPath) => group.ValueKind switch
        {
            JsonValueKind.String => group.GetString()!,
            JsonValueKind.Null when !Strict => string.Empty,
            _ => throw Error($"A person name component group must be a string, found {Describe(group)}", groupPath, key),
        };
    }

    /// <summary>Checks what PS3.18 F.2.4 says about multiple values and returns the values to encode.</summary>
    private void CheckStrings(string[] values, DicomVR vr, string path, string key, out string[] result)
    {
        result = values;
        if (!vr.IsMultiValuedString() && values.Length > 1)
        {
            if (Strict)
            {
                throw Error($"VR {vr.Code()} holds a single value, found {values.Length}", path, key);
            }

            result = [string.Join('\\', values)];
        }

        if (!Strict)
        {
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (vr.IsMultiValuedString() && values[i].Contains('\\', StringComparison.Ordinal))
            {
                throw Error("A value of a multi-valued string VR contains a backslash, which would split it", Index(path, i), key);
            }

            if (!vr.UsesSpecificCharacterSet() && !Ascii.IsValid(values[i]))
            {
                throw Error($"VR {vr.Code()} allows only the default repertoire (ASCII)", Index(path, i), key);
            }
        }
    }

    private byte[] ReadTags(JsonElement array, string path, string key)
    {
        var bytes = new byte[array.GetArrayLength() * 4];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TryParseKey(item.GetString()!, out var tag))
            {
                throw Error($"Expected an attribute tag as 8 hexadecimal digits for VR AT, found {Describe(item)}", Index(path, i), key);
            }

            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), tag.Element);
            i++;
        }

        return bytes;
    }

    /// <summary>Numbers of <paramref name="unit"/> (a binary number VR, or None for bytes), little endian.</summary>
    private byte[] ReadNumbers(JsonElement array, DicomVR vr, DicomVR unit, string path, string key)
    {
        var size = unit == DicomVR.None ? 1 : unit.NumberSize();
        var bytes = new byte[array.GetArrayLength() * size];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = Index(path, i);
            var destination = bytes.AsSpan(i * size);
            switch (unit)
            {
                case DicomVR.None:
                    destination[0] = ReadInteger<byte>(item, vr, false, itemPath, key);
                    break;
                case DicomVR.US:
                    BinaryPrimitives.WriteUInt16LittleEndian(destination, ReadInteger<ushort>(item, vr, false, itemPath, key));
                    break;
                case DicomVR.SS:
                    BinaryPrimitives.WriteInt16LittleEndian(destination, ReadInteger<short>(item, vr, false, itemPath, key));
                    break;
                case DicomVR.UL:
                    BinaryPrimitives.WriteUInt32LittleEndian(destination, ReadInteger<uint>(item, vr, false, itemPath, key));
                    break;
                case DicomVR.SL:
                    BinaryPrimitives.WriteInt32LittleEndian(destination, ReadInteger<int>(item, vr, false, itemPath, key));
                    break;
                case DicomVR.SV:
                    BinaryPrimitives.WriteInt64LittleEndian(destination, ReadInteger<long>(item, vr, true, itemPath, key));
                    break;
                case DicomVR.UV:
                    BinaryPrimitives.WriteUInt64LittleEndian(destination, ReadInteger<ulong>(item, vr, true, itemPath, key));
                    break;
                case DicomVR.FL:
                    var d = ReadFloat(item, vr, itemPath, key);
                    var f = (float)d;
                    if (float.IsInfinity(f) && !double.IsInfinity(d))
                    {
                        throw Error($"{item.GetRawText()} is out of the range of VR {vr.Code()}", itemPath, key);
                    }

                    BinaryPrimitives.WriteSingleLittleEndian(destination, f);
                    break;
                default:
                    BinaryPrimitives.WriteDoubleLittleEndian(destination, ReadFloat(item, vr, itemPath, key));
                    break;
            }

            i++;
        }

        return bytes;
    }

    /// <summary>An integer from a JSON number, or from a string where allowed (SV/UV always; the others when not strict).</summary>
    private T ReadInteger<T>(JsonElement item, DicomVR vr, bool stringAllowed, string path, string key)
        where T : struct, IBinaryInteger<T>
    {
        string text;
        if (item.ValueKind == JsonValueKind.Number)
        {
            text = item.GetRawText();
        }
        else if (item.ValueKind == JsonValueKind.String && (stringAllowed || !Strict))
        {
            text = item.GetString()!.Trim();
        }
        else
        {
            throw Error($"Expected a number for VR {vr.Code()}, found {Describe(item)}", path, key);
        }

        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // 12.0 or 1e3 for an integer: accepted unless strict when the value is integral and in range.
        if (!Strict && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && decimal.Truncate(d) == d)
        {
            try
            {
                return T.CreateChecked(d);
            }
            catch (OverflowException)
            {
                // reported below
            }
        }

        throw Error($"{text} is not a value of VR {vr.Code()}", path, key);
    }

    /// <summary>
    /// A floating-point number; the strings "NaN", "Infinity" and "-Infinity" (which this library writes for values JSON
    /// numbers cannot express) always, other numeric strings when not strict.
    /// </summary>
    private double ReadFloat(JsonElement item, DicomVR vr, string path, string key)
    {
        if (item.ValueKind == JsonValueKind.Number)
        {
            if (item.TryGetDouble(out var d) && double.IsFinite(d))
            {
                return d;
            }

            throw Error($"{item.GetRawText()} is out of the range of VR {vr.Code()}", path, key);
        }

        if (item.ValueKind == JsonValueKind.String)
        {
            var text = item.GetString()!.Trim();
            switch (text)
            {
                case "NaN":
                    return double.NaN;
                case "Infinity" or "+Infinity":
                    return double.PositiveInfinity;
                case "-Infinity":
                    return double.NegativeInfinity;
            }

            if (!Strict && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }

        throw Error($"Expected a number for VR {vr.Code()}, found {Describe(item)}", path, key);
    }

    private void EncodeText(CharacterSetScope scope)
    {
        if (scope.Texts.Count == 0)
        {
            return;
        }

        var dataset = scope.Dataset;
        var declared = dataset.GetElement(SpecificCharacterSet) is { Length: > 0 } ? dataset.GetStrings(SpecificCharacterSet) : null;
        bool needsUtf8;
        if (declared is null || declared.All(t => t.Length == 0))
        {
            needsUtf8 = scope.Texts.Exists(t => t.Values.Any(v => !Ascii.IsValid(v)));
        }
        else
        {
            var characterSet = DicomCharacterSet.FromTerms(declared);
            needsUtf8 = !scope.Texts.TrueForAll(t => t.Values.All(v => characterSet.CanEncode(v, t.VR)));
        }

        if (needsUtf8)
        {
            dataset.AddOrUpdate(SpecificCharacterSet, DicomVR.CS, Utf8Term);
        }

        foreach (var text in scope.Texts)
        {
            try
            {
                text.Owner.AddOrUpdate(text.Tag, text.VR, text.Values);
            }
            catch (Exception ex) when (ex is not DicomJsonException and not OperationCanceledException and not OutOfMemoryException)
            {
                throw Error($"The text cannot be encoded: {ex.Message}", text.Path, text.Key, ex);
            }
        }
    }

    private bool TryParseKey(string text, out DicomTag tag)
    {
        tag = default;
        if (text.Length != 8)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(Strict ? char.IsAsciiHexDigitUpper(c) || char.IsAsciiDigit(c) : char.IsAsciiHexDigit(c)))
            {
                return false;
            }
        }

        tag = new DicomTag(uint.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    private static bool AllowsBulkDataUri(DicomVR vr) => vr is DicomVR.DS or DicomVR.FL or DicomVR.FD or DicomVR.IS
        or DicomVR.LT or DicomVR.SL or DicomVR.SS or DicomVR.ST or DicomVR.SV or DicomVR.UC or DicomVR.UL or DicomVR.US
        or DicomVR.UT or DicomVR.UV;

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    internal static string PathOf(string path, string name) =>
        name.Length > 0 && name.All(char.IsAsciiLetterOrDigit)
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    private static string Index(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    private static DicomJsonException Error(string message, string path, string? key, Exception? inner = null) =>
        inner is null ? new DicomJsonException(message, path, key) : new DicomJsonException(message, path, key, inner);

    private sealed class CharacterSetScope(DicomDataset dataset)
    {
        public DicomDataset Dataset { get; } = dataset;

        public List<PendingText> Texts { get; } = [];
    }

    private sealed record PendingText(DicomDataset Owner, DicomTag Tag, DicomVR VR, string[] Values, string Path, string Key);
}
