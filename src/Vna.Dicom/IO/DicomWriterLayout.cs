namespace Vna.Dicom;

/// <summary>
/// What the writer writes for a data set in one transfer syntax, and how many bytes it takes: which items are skipped,
/// the VR of each explicit VR header, and the encoded size of elements, items, sequences and groups. Sizes are computed by
/// walking the data set, never by encoding it; item lengths are cached for the duration of one write.
/// </summary>
internal sealed class DicomWriterLayout
{
    /// <summary>The largest length a 32-bit length field can hold (0xFFFFFFFF means undefined).</summary>
    public const long MaxLength = 0xFFFFFFFE;

    /// <summary>The largest value of a short (16-bit) explicit VR length, kept even.</summary>
    public const long MaxShortLength = 0xFFFE;

    private static readonly DicomTag PixelDataTag = new(0x7FE0, 0x0010);

    private Dictionary<DicomDataset, long>? _itemLengths;

    public DicomWriterLayout(DicomTransferSyntax transferSyntax, DicomWriterOptions options, bool fileMetaInformation)
    {
        TransferSyntax = transferSyntax;
        IsExplicitVR = transferSyntax.IsExplicitVR;
        IsBigEndian = transferSyntax.IsBigEndian;
        DefinedSequenceLength = options.SequenceLength == DicomWriterSequenceLength.Defined;
        KeepGroupLengths = options.KeepGroupLengths;
        IsFileMetaInformation = fileMetaInformation;
    }

    public DicomTransferSyntax TransferSyntax { get; }

    public bool IsExplicitVR { get; }

    public bool IsBigEndian { get; }

    public bool DefinedSequenceLength { get; }

    /// <summary>
    /// Whether a sequence is written with a defined length: when the options say so, and always in implicit VR for a
    /// sequence the dictionary does not know as SQ (a private sequence): a reader that cannot know it is a sequence then
    /// skips a value of known length instead of meeting an undefined length it cannot interpret.
    /// </summary>
    public bool IsDefinedLength(DicomSequence sequence) =>
        DefinedSequenceLength || (!IsExplicitVR && (sequence.Tag.IsPrivate || DicomDictionary.Lookup(sequence.Tag)?.VR != DicomVR.SQ));

    public bool KeepGroupLengths { get; }

    /// <summary>True when this layout writes the File Meta Information group (only group 0002; its group length always).</summary>
    public bool IsFileMetaInformation { get; }

    public static long Padded(long length) => length + (length & 1);

    /// <summary>True when <paramref name="item"/> is not written.</summary>
    public bool Skip(DicomItem item, bool topLevel)
    {
        var tag = item.Tag;
        if (IsFileMetaInformation)
        {
            return !tag.IsFileMetaInformation;
        }

        if (topLevel && tag.IsFileMetaInformation)
        {
            return true; // meta elements belong to the File Meta Information, not to the data set
        }

        // (0000,0000) Command Group Length is mandatory in a command set (PS3.7 E.1): always kept.
        return tag.IsGroupLength && item is DicomElement && !KeepGroupLengths && tag.Group != 0x0000;
    }

    /// <summary>The VR written in an explicit VR header for an element of <paramref name="vr"/> and <paramref name="paddedLength"/> bytes.</summary>
    public DicomVR HeaderVR(DicomVR vr, long paddedLength)
    {
        if (!IsExplicitVR)
        {
            return vr;
        }

        if (vr is DicomVR.None or DicomVR.SQ)
        {
            return DicomVR.UN; // no VR known, or a sequence kept as raw bytes
        }

        // PS3.5 6.2.2 note: a value too long for a 16-bit length is written as UN.
        return !vr.HasLongLength() && paddedLength > MaxShortLength ? DicomVR.UN : vr;
    }

    /// <summary>Size of the header of an element whose header VR is <paramref name="headerVR"/>.</summary>
    public int HeaderSize(DicomVR headerVR) => IsExplicitVR && headerVR.HasLongLength() ? 12 : 8;

    /// <summary>The number size to reverse when writing a value of <paramref name="vr"/> under header VR <paramref name="headerVR"/>.</summary>
    public int SwapUnit(DicomVR vr, DicomVR headerVR) =>
        IsBigEndian && (vr == headerVR || !IsExplicitVR) ? vr.NumberSize() : 0;

    /// <summary>Encoded size of one item of a data set (assumed not skipped).</summary>
    public long SizeOf(DicomItem item)
    {
        switch (item)
        {
            case DicomElement element when element.Tag.IsGroupLength:
                return 12; // 8-byte header + UL value in every syntax
            case DicomElement element:
                var padded = Padded(element.Length);
                return HeaderSize(HeaderVR(element.VR, padded)) + padded;
            case DicomSequence sequence:
                return HeaderSize(DicomVR.SQ) + SequenceContentLength(sequence) + (IsDefinedLength(sequence) ? 0 : 8);
            case DicomFragmentSequence fragments:
                return HeaderSize(DicomVR.OB) + FragmentsContentLength(fragments);
            default:
                throw new InvalidOperationException($"{item.Tag}: cannot write an item of type {item.GetType().Name}.");
        }
    }

    /// <summary>Bytes after the sequence header: each item (header, content, delimiter when undefined); no sequence delimiter.</summary>
    public long SequenceContentLength(DicomSequence sequence)
    {
        long total = 0;
        var items = sequence.Items;
        var defined = IsDefinedLength(sequence);
        for (var i = 0; i < items.Count; i++)
        {
            total += 8 + ItemLength(items[i]) + (defined ? 0 : 8);
        }

        return total;
    }

    /// <summary>Bytes of an item's content (its elements, without the item header or delimiter); cached.</summary>
    public long ItemLength(DicomDataset item)
    {
        _itemLengths ??= [];
        if (_itemLengths.TryGetValue(item, out var cached))
        {
            return cached;
        }

        long total = 0;
        foreach (var child in item)
        {
            if (!Skip(child, topLevel: false))
            {
                total += SizeOf(child);
            }
        }

        _itemLengths[item] = total;
        return total;
    }

    /// <summary>Bytes after the pixel data header: offset table item, fragment items, sequence delimiter.</summary>
    public static long FragmentsContentLength(DicomFragmentSequence fragments)
    {
        long total = 8 + (4L * fragments.BasicOffsetTable.Count);
        var list = fragments.Fragments;
        for (var i = 0; i < list.Count; i++)
        {
            total += 8 + Padded(list[i].Length);
        }

        return total + 8;
    }

    /// <summary>The value of the group length element of <paramref name="group"/>: the bytes of the group's other written elements.</summary>
    public long GroupLength(DicomDataset dataset, ushort group, bool topLevel)
    {
        long total = 0;
        foreach (var item in dataset)
        {
            var tag = item.Tag;
            if (tag.Group > group)
            {
                break;
            }

            if (tag.Group == group && !tag.IsGroupLength && !Skip(item, topLevel))
            {
                total += SizeOf(item);
            }
        }

        return total;
    }

    /// <summary>
    /// Checks, before a byte is written, what would make the output invalid: pixel data the transfer syntax cannot carry,
    /// lengths that do not fit their fields, delimitation tags among the elements.
    /// </summary>
    public void Validate(DicomDataset dataset, bool topLevel)
    {
        foreach (var item in dataset)
        {
            if (Skip(item, topLevel))
            {
                continue;
            }

            var tag = item.Tag;
            if (tag.IsDelimiter)
            {
                throw new InvalidOperationException($"{tag} is an item or delimitation tag and cannot be written as an element.");
            }

            switch (item)
            {
                case DicomElement when tag.IsGroupLength:
                    var groupLength = GroupLength(dataset, tag.Group, topLevel);
                    if (groupLength > uint.MaxValue)
                    {
                        throw new InvalidOperationException($"{tag}: the group is {groupLength} bytes, more than a group length can hold.");
                    }

                    break;
                case DicomElement element:
                    if (topLevel && tag == PixelDataTag && TransferSyntax.IsEncapsulated && !IsFileMetaInformation)
                    {
                        throw new InvalidOperationException(
                            $"{tag} Pixel Data is native (not encapsulated) but transfer syntax {TransferSyntax.Uid} ({TransferSyntax.Name}) requires encapsulated pixel data; transcode it first.");
                    }

                    if (Padded(element.Length) > MaxLength)
                    {
                        throw new InvalidOperationException($"{tag}: a value of {element.Length} bytes does not fit a 32-bit length.");
                    }

                    break;
                case DicomSequence sequence:
                    foreach (var child in sequence.Items)
                    {
                        Validate(child, topLevel: false);
                        if (IsDefinedLength(sequence) && ItemLength(child) > MaxLength)
                        {
                            throw new InvalidOperationException(
                                $"{tag}: an item of {ItemLength(child)} bytes is too long for a defined length; write undefined lengths.");
                        }
                    }

                    if (IsDefinedLength(sequence) && SequenceContentLength(sequence) > MaxLength)
                    {
                        throw new InvalidOperationException(
                            $"{tag}: the sequence is {SequenceContentLength(sequence)} bytes, too long for a defined length; write undefined lengths.");
                    }

                    break;
                case DicomFragmentSequence fragments:
                    if (!TransferSyntax.IsEncapsulated)
                    {
                        throw new InvalidOperationException(
                            $"{tag} holds encapsulated pixel data (fragments), which transfer syntax {TransferSyntax.Uid} ({TransferSyntax.Name}) cannot carry; transcode it first.");
                    }

                    if (4L * fragments.BasicOffsetTable.Count > MaxLength)
                    {
                        throw new InvalidOperationException($"{tag}: the Basic Offset Table is too long.");
                    }

                    foreach (var fragment in fragments.Fragments)
                    {
                        if (Padded(fragment.Length) > MaxLength)
                        {
                            throw new InvalidOperationException($"{tag}: a fragment of {fragment.Length} bytes does not fit a 32-bit length.");
                        }
                    }

                    break;
                default:
                    throw new InvalidOperationException($"{tag}: cannot write an item of type {item.GetType().Name}.");
            }
        }
    }
}
