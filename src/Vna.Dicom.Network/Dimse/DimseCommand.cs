using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Vna.Dicom.Network;

/// <summary>
/// A DIMSE command set (PS3.7 9.3, 10.3, Annex E): the group 0000 elements of one request or response, always encoded in
/// Implicit VR Little Endian. Values are typed by the fixed VRs of group 0000 (UI, US, UL, AE, LO, AT); unknown elements
/// of the group are kept as bytes and written back unchanged. Command Group Length (0000,0000) is computed on encoding.
/// </summary>
public sealed class DimseCommand
{
    /// <summary>Command Data Set Type (0000,0800) value meaning "no data set".</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>The largest command set accepted (commands are small; this bounds the buffer of a malicious one).</summary>
    public const int MaxEncodedLength = 64 * 1024;

    private readonly SortedDictionary<uint, object> _elements = [];

    public DimseCommand(DimseCommandField commandField) => CommandField = commandField;

    private DimseCommand()
    {
    }

    public DimseCommandField CommandField
    {
        get => (DimseCommandField)GetUInt16(DimseCommandTags.CommandField);
        set => SetUInt16(DimseCommandTags.CommandField, (ushort)value);
    }

    public bool IsResponse => ((ushort)CommandField & 0x8000) != 0;

    public ushort MessageId
    {
        get => TryGetUInt16(DimseCommandTags.MessageId, out var v) ? v : (ushort)0;
        set => SetUInt16(DimseCommandTags.MessageId, value);
    }

    public ushort MessageIdBeingRespondedTo
    {
        get => TryGetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, out var v) ? v : (ushort)0;
        set => SetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, value);
    }

    public string? AffectedSopClassUid
    {
        get => GetString(DimseCommandTags.AffectedSopClassUid);
        set => SetString(DimseCommandTags.AffectedSopClassUid, value);
    }

    public string? RequestedSopClassUid
    {
        get => GetString(DimseCommandTags.RequestedSopClassUid);
        set => SetString(DimseCommandTags.RequestedSopClassUid, value);
    }

    public string? AffectedSopInstanceUid
    {
        get => GetString(DimseCommandTags.AffectedSopInstanceUid);
        set => SetString(DimseCommandTags.AffectedSopInstanceUid, value);
    }

    public string? RequestedSopInstanceUid
    {
        get => GetString(DimseCommandTags.RequestedSopInstanceUid);
        set => SetString(DimseCommandTags.RequestedSopInstanceUid, value);
    }

    /// <summary>The SOP class the command is about: Affected SOP Class UID, else Requested SOP Class UID.</summary>
    public string? SopClassUid => AffectedSopClassUid ?? RequestedSopClassUid;

    public ushort Priority
    {
        get => TryGetUInt16(DimseCommandTags.Priority, out var v) ? v : (ushort)0;
        set => SetUInt16(DimseCommandTags.Priority, value);
    }

    /// <summary>True when a data set follows the command (Command Data Set Type other than 0x0101).</summary>
    public bool HasDataSet
    {
        get => TryGetUInt16(DimseCommandTags.CommandDataSetType, out var type) && type != NoDataSet;
        set => SetUInt16(DimseCommandTags.CommandDataSetType, value ? (ushort)0x0000 : NoDataSet);
    }

    public ushort Status
    {
        get => GetUInt16(DimseCommandTags.Status);
        set => SetUInt16(DimseCommandTags.Status, value);
    }

    public string? ErrorComment
    {
        get => GetString(DimseCommandTags.ErrorComment);
        set => SetString(DimseCommandTags.ErrorComment, value is { Length: > 64 } ? value[..64] : value);
    }

    public string? MoveDestination
    {
        get => GetString(DimseCommandTags.MoveDestination);
        set => SetString(DimseCommandTags.MoveDestination, value);
    }

    public string? MoveOriginatorAeTitle
    {
        get => GetString(DimseCommandTags.MoveOriginatorAeTitle);
        set => SetString(DimseCommandTags.MoveOriginatorAeTitle, value);
    }

    public ushort? MoveOriginatorMessageId
    {
        get => TryGetUInt16(DimseCommandTags.MoveOriginatorMessageId, out var v) ? v : null;
        set => SetOptionalUInt16(DimseCommandTags.MoveOriginatorMessageId, value);
    }

    public ushort? EventTypeId
    {
        get => TryGetUInt16(DimseCommandTags.EventTypeId, out var v) ? v : null;
        set => SetOptionalUInt16(DimseCommandTags.EventTypeId, value);
    }

    public ushort? ActionTypeId
    {
        get => TryGetUInt16(DimseCommandTags.ActionTypeId, out var v) ? v : null;
        set => SetOptionalUInt16(DimseCommandTags.ActionTypeId, value);
    }

    public ushort? RemainingSubOperations
    {
        get => TryGetUInt16(DimseCommandTags.NumberOfRemainingSubOperations, out var v) ? v : null;
        set => SetOptionalUInt16(DimseCommandTags.NumberOfRemainingSubOperations, value);
    }

    public ushort? CompletedSubOperations
    {
        get => TryGetUInt16(DimseCommandTags.NumberOfCompletedSubOperations, out var v) ? v : null;
        set => SetOptionalUInt16(DimseCommandTags.NumberOfCompletedSubOperations, value);
    }

    public ushort? FailedSubOperations
    {
        get => TryGetUInt16(DimseCommandTags.NumberOfFailedSubOperations, out var v) ? v : null;
        set => SetOptionalUInt16(DimseCommandTags.NumberOfFailedSubOperations, value);
    }

    public ushort? WarningSubOperations
    {
        get => TryGetUInt16(DimseCommandTags.NumberOfWarningSubOperations, out var v) ? v : null;
        set => SetOptionalUInt16(DimseCommandTags.NumberOfWarningSubOperations, value);
    }

    /// <summary>True when the element is present.</summary>
    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag.Value);

    public ushort GetUInt16(DicomTag tag) =>
        TryGetUInt16(tag, out var value) ? value : throw new DicomNetworkException($"The command has no {tag}.", AbortReason.InvalidPduParameterValue);

    public bool TryGetUInt16(DicomTag tag, out ushort value)
    {
        if (_elements.TryGetValue(tag.Value, out var v) && v is ushort u)
        {
            value = u;
            return true;
        }

        value = 0;
        return false;
    }

    public void SetUInt16(DicomTag tag, ushort value) => _elements[tag.Value] = value;

    public string? GetString(DicomTag tag) => _elements.TryGetValue(tag.Value, out var v) ? v as string : null;

    public void SetString(DicomTag tag, string? value)
    {
        if (value is null)
        {
            _elements.Remove(tag.Value);
        }
        else
        {
            _elements[tag.Value] = value;
        }
    }

    /// <summary>An AT element's values (Offending Element, Attribute Identifier List).</summary>
    public IReadOnlyList<DicomTag> GetTags(DicomTag tag) => _elements.TryGetValue(tag.Value, out var v) && v is DicomTag[] tags ? tags : [];

    public void SetTags(DicomTag tag, IReadOnlyList<DicomTag> tags) => _elements[tag.Value] = tags.ToArray();

    /// <summary>A response to <paramref name="request"/>: the matching response command field, the message id echoed, the affected SOP class and instance copied.</summary>
    public static DimseCommand ResponseTo(DimseCommand request, ushort status)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new DimseCommand((DimseCommandField)((ushort)request.CommandField | 0x8000))
        {
            MessageIdBeingRespondedTo = request.MessageId,
            AffectedSopClassUid = request.SopClassUid,
            Status = status,
            HasDataSet = false,
        };
        var instance = request.AffectedSopInstanceUid ?? request.RequestedSopInstanceUid;
        if (instance is not null && request.CommandField is not (DimseCommandField.CFindRequest or DimseCommandField.CMoveRequest or DimseCommandField.CGetRequest))
        {
            response.AffectedSopInstanceUid = instance;
        }

        return response;
    }

    /// <summary>Encodes the command set (with its group length) in Implicit VR Little Endian.</summary>
    public byte[] Encode()
    {
        var body = new List<byte>(256);
        Span<byte> header = stackalloc byte[8];
        foreach (var (tag, value) in _elements)
        {
            if ((tag & 0xFFFF) == 0)
            {
                continue;
            }

            var bytes = ValueBytes(value);
            BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(tag >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)tag);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)bytes.Length);
            body.AddRange(header);
            body.AddRange(bytes);
        }

        var result = new byte[12 + body.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)body.Count);
        body.CopyTo(result, 12);
        return result;
    }

    /// <summary>Decodes a command set; anything outside group 0000, a length past the end or a missing Command Field fails.</summary>
    public static DimseCommand Decode(ReadOnlySpan<byte> encoded)
    {
        var command = new DimseCommand();
        var rest = encoded;
        while (!rest.IsEmpty)
        {
            if (rest.Length < 8)
            {
                throw Malformed("an element header cut short");
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
            if (group != 0x0000)
            {
                throw Malformed($"element ({group:X4},{element:X4}) outside group 0000");
            }

            if (length > (uint)(rest.Length - 8))
            {
                throw Malformed($"element (0000,{element:X4}) of {length} bytes where {rest.Length - 8} remain");
            }

            var value = rest.Slice(8, (int)length);
            rest = rest[(8 + (int)length)..];
            if (element == 0x0000)
            {
                continue;
            }

            var tag = new DicomTag(0x0000, element);
            command._elements[tag.Value] = DimseCommandTags.VrOf(tag) switch
            {
                "US" => value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(value) : throw Malformed($"US element {tag} of {value.Length} bytes"),
                "UL" => value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(value) : throw Malformed($"UL element {tag} of {value.Length} bytes"),
                "AT" => ReadTags(value),
                "UI" or "AE" or "LO" or "SH" => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ').TrimStart(' '),
                _ => value.ToArray(),
            };
        }

        if (!command._elements.ContainsKey(DimseCommandTags.CommandField.Value))
        {
            throw Malformed("no Command Field (0000,0100)");
        }

        return command;
    }

    public override string ToString()
    {
        var text = new StringBuilder(CommandField.ToString());
        if (IsResponse)
        {
            text.Append(CultureInfo.InvariantCulture, $" to {MessageIdBeingRespondedTo}, status 0x{(TryGetUInt16(DimseCommandTags.Status, out var s) ? s : 0):X4}");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $" {MessageId}");
        }

        return text.ToString();
    }

    private void SetOptionalUInt16(DicomTag tag, ushort? value)
    {
        if (value is null)
        {
            _elements.Remove(tag.Value);
        }
        else
        {
            _elements[tag.Value] = value.Value;
        }
    }

    private static DicomTag[] ReadTags(ReadOnlySpan<byte> value)
    {
        var tags = new DicomTag[value.Length / 4];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(value[(i * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(value[(i * 4 + 2)..]));
        }

        return tags;
    }

    private static byte[] ValueBytes(object value)
    {
        switch (value)
        {
            case ushort u:
                {
                    var b = new byte[2];
                    BinaryPrimitives.WriteUInt16LittleEndian(b, u);
                    return b;
                }

            case uint u:
                {
                    var b = new byte[4];
                    BinaryPrimitives.WriteUInt32LittleEndian(b, u);
                    return b;
                }

            case string s:
                {
                    // UI values are padded with NUL, text (AE, LO) with a space, to an even length.
                    var bytes = Encoding.ASCII.GetBytes(s);
                    if ((bytes.Length & 1) == 0)
                    {
                        return bytes;
                    }

                    var padded = new byte[bytes.Length + 1];
                    bytes.CopyTo(padded, 0);
                    padded[^1] = DicomUid.IsValid(s) ? (byte)0 : (byte)' ';
                    return padded;
                }

            case DicomTag[] tags:
                {
                    var b = new byte[tags.Length * 4];
                    for (var i = 0; i < tags.Length; i++)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 4), tags[i].Group);
                        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 4 + 2), tags[i].Element);
                    }

                    return b;
                }

            case byte[] raw:
                return raw;
            default:
                throw new InvalidOperationException($"Unsupported command value {value.GetType().Name}.");
        }
    }

    private static DicomNetworkException Malformed(string what) => new($"Malformed DIMSE command set: {what}.", AbortReason.InvalidPduParameterValue);
}
