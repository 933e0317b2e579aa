using System.Buffers.Binary;
using System.IO.Compression;

namespace Vna.Dicom;

/// <summary>
/// One read of one stream. Elements are parsed from a <see cref="DicomReadBuffer"/>; the common case (header bytes
/// already buffered) never leaves the synchronous path.
/// </summary>
internal sealed class DicomParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private static readonly DicomTag PixelDataTag = new(0x7FE0, 0x0010);
    private static readonly DicomTag TransferSyntaxTag = new(0x0002, 0x0010);
    private static readonly DicomTag PixelRepresentationTag = new(0x0028, 0x0103);
    private static readonly DicomTag LutDescriptorTag = new(0x0028, 0x3002);

    private readonly DicomReaderOptions _options;
    private readonly IBulkDataSource? _source;
    private readonly List<DicomReadWarning> _warnings = [];
    private readonly List<IDisposable> _owned = [];
    private DicomReadBuffer _buffer;
    private SpoolBulkDataSource? _spool;
    private bool _referencesAllowed;
    private bool _stopped;

    public DicomParser(Stream stream, DicomReaderOptions options, IBulkDataSource? source)
    {
        _options = options;
        _source = source;
        _buffer = new DicomReadBuffer(stream, 64 * 1024);
        _referencesAllowed = source is not null;
    }

    private readonly record struct Encoding(bool Explicit, bool BigEndian);

    public async Task<DicomFile> ReadFileAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadFileCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DisposeOwned();
            throw;
        }
        finally
        {
            _buffer.Release();
        }
    }

    public async Task<DicomFile> ReadBareDatasetAsync(DicomTransferSyntax syntax, CancellationToken cancellationToken)
    {
        try
        {
            var dataset = await ReadBodyAsync(syntax, cancellationToken).ConfigureAwait(false);
            return Finish(new DicomDataset(), dataset, syntax, hasPreamble: false, hasMeta: false);
        }
        catch
        {
            DisposeOwned();
            throw;
        }
        finally
        {
            _buffer.Release();
        }
    }

    private async Task<DicomFile> ReadFileCoreAsync(CancellationToken cancellationToken)
    {
        await _buffer.EnsureAsync(256, cancellationToken).ConfigureAwait(false);
        var head = _buffer.PeekAvailable();
        if (head.Length == 0)
        {
            throw new DicomReadException("The input is empty.", 0, null);
        }

        var hasPreamble = false;
        var hasMeta = false;
        if (head.Length >= 136 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M'
            && head[132] == 0x02 && head[133] == 0x00)
        {
            hasPreamble = true;
            hasMeta = true;
            _buffer.Advance(132);
        }
        else if (head.Length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M'
            && !LooksLikeDataset(head))
        {
            // A preamble and "DICM" with no meta group after it.
            hasPreamble = true;
            _buffer.Advance(132);
        }
        else if (head.Length >= 8 && head[0] == 0x02 && head[1] == 0x00)
        {
            hasMeta = true;
            Warn(0, null, "The file has no 128-byte preamble and \"DICM\" prefix; it starts with the File Meta Information.");
        }
        else if (head.Length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M')
        {
            Warn(0, null, "Bytes 128-131 read \"DICM\" but no File Meta Information follows; read as a data set without preamble.");
        }

        var meta = new DicomDataset();
        DicomTransferSyntax syntax;
        if (hasMeta)
        {
            await ReadMetaAsync(meta, cancellationToken).ConfigureAwait(false);
            var uid = meta.GetString(TransferSyntaxTag);
            if (string.IsNullOrEmpty(uid))
            {
                syntax = DetectSyntax();
                Warn(_buffer.Position, TransferSyntaxTag, $"The File Meta Information has no Transfer Syntax UID; the data set reads as {syntax.Name}.");
            }
            else
            {
                syntax = DicomTransferSyntax.Parse(uid);
                if (!syntax.IsKnown)
                {
                    Warn(_buffer.Position, TransferSyntaxTag, $"Unknown transfer syntax {uid}: read as explicit VR little endian.");
                }
            }
        }
        else
        {
            if (!hasPreamble)
            {
                Warn(0, null, "The input has no File Meta Information; the transfer syntax was detected from the data.");
            }

            await _buffer.EnsureAsync(16, cancellationToken).ConfigureAwait(false);
            syntax = DetectSyntax();
        }

        var dataset = await ReadBodyAsync(syntax, cancellationToken).ConfigureAwait(false);
        return Finish(meta, dataset, syntax, hasPreamble, hasMeta);
    }

    private DicomFile Finish(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax syntax, bool hasPreamble, bool hasMeta)
    {
        var file = new DicomFile(meta, dataset, syntax)
        {
            HasPreamble = hasPreamble,
            HasFileMetaInformation = hasMeta,
            IsPartial = _stopped,
            Warnings = _warnings.ToArray(),
        };
        foreach (var owned in _owned)
        {
            file.Own(owned);
        }

        return file;
    }

    private async Task<DicomDataset> ReadBodyAsync(DicomTransferSyntax syntax, CancellationToken cancellationToken)
    {
        var dataset = new DicomDataset();
        if (syntax.IsDeflated)
        {
            var inflater = new DeflateStream(_buffer.DetachRemainder(), CompressionMode.Decompress);
            _owned.Add(inflater);
            _buffer.Release();
            _buffer = new DicomReadBuffer(inflater, 64 * 1024);
            _referencesAllowed = false;
        }

        var encoding = new Encoding(syntax.IsExplicitVR, syntax.IsBigEndian);
        try
        {
            await ReadDatasetAsync(dataset, encoding, -1, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new DicomReadException("The deflated data set is corrupt: " + ex.Message, _buffer.Position, null, ex);
        }

        return dataset;
    }

    private static bool LooksLikeDataset(ReadOnlySpan<byte> head)
    {
        // A bare data set starts with a small even group in little endian (08 00 ...) or big endian (00 08 ...).
        var le = BinaryPrimitives.ReadUInt16LittleEndian(head);
        var be = BinaryPrimitives.ReadUInt16BigEndian(head);
        return (le is >= 0x0002 and <= 0x0100 && (le & 1) == 0) || (be is >= 0x0002 and <= 0x0100 && (be & 1) == 0);
    }

    private DicomTransferSyntax DetectSyntax()
    {
        var head = _buffer.PeekAvailable();
        if (head.Length < 8)
        {
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        var bigEndian = head[0] == 0 && head[1] != 0;
        var explicitVr = DicomVRExtensions.FromCode(head[4], head[5]) is not null;
        return (explicitVr, bigEndian) switch
        {
            (true, true) => DicomTransferSyntax.ExplicitVRBigEndian,
            (true, false) => DicomTransferSyntax.ExplicitVRLittleEndian,
            (false, true) => DicomTransferSyntax.ExplicitVRBigEndian, // implicit big endian does not exist
            _ => DicomTransferSyntax.ImplicitVRLittleEndian,
        };
    }

    private async Task ReadMetaAsync(DicomDataset meta, CancellationToken cancellationToken)
    {
        while (await _buffer.EnsureAsync(2, cancellationToken).ConfigureAwait(false)
            && BinaryPrimitives.ReadUInt16LittleEndian(_buffer.Peek(2)) == 0x0002)
        {
            var item = await ReadElementAsync(meta, new Encoding(true, false), -1, 0, isMeta: true, cancellationToken).ConfigureAwait(false);
            if (item is null)
            {
                break;
            }

            if (!meta.AppendRead(item))
            {
                Warn(_buffer.Position, item.Tag, "Repeated element in the File Meta Information; the first is kept.");
            }
        }

        if (!meta.Contains(new DicomTag(0x0002, 0x0002)))
        {
            Warn(_buffer.Position, new DicomTag(0x0002, 0x0002), "The File Meta Information lacks the Media Storage SOP Class UID.");
        }
    }

    /// <summary>Reads elements into <paramref name="dataset"/> until <paramref name="end"/> (or an item delimiter, or the end of input when -1).</summary>
    private async Task ReadDatasetAsync(DicomDataset dataset, Encoding encoding, long end, int depth, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (end >= 0 && _buffer.Position >= end)
            {
                if (_buffer.Position > end)
                {
                    Fail(_buffer.Position, null, "An element runs past the end of its item.");
                }

                break;
            }

            if (!await _buffer.EnsureAsync(4, cancellationToken).ConfigureAwait(false))
            {
                if (_buffer.Available == 0 && end < 0 && depth == 0)
                {
                    break; // end of input at the top level: done
                }

                if (_buffer.Available > 0 && end < 0 && depth == 0)
                {
                    Warn(_buffer.Position, null, $"{_buffer.Available} trailing byte(s) after the last element were ignored.");
                    _buffer.Advance(_buffer.Available);
                    break;
                }

                throw new DicomReadException("The input ends inside an item.", _buffer.Position, null);
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.Peek(2));
            if (encoding.BigEndian)
            {
                group = BinaryPrimitives.ReverseEndianness(group);
            }

            if (group == 0xFFFE && end < 0 && depth > 0)
            {
                var tag = ReadTagAt(_buffer.Peek(4), encoding.BigEndian);
                if (tag == DicomTag.ItemDelimitationItem)
                {
                    if (!await _buffer.EnsureAsync(8, cancellationToken).ConfigureAwait(false))
                    {
                        throw new DicomReadException("The input ends inside an item delimiter.", _buffer.Position, tag);
                    }

                    _buffer.Advance(8);
                    return;
                }
            }

            if (depth == 0 && _options.StopAtTag is { } stop && !_stopped)
            {
                var tag = ReadTagAt(_buffer.Peek(4), encoding.BigEndian);
                if (tag >= stop)
                {
                    _stopped = true;
                    return;
                }
            }

            var item = await ReadElementAsync(dataset, encoding, end, depth, isMeta: false, cancellationToken).ConfigureAwait(false);
            if (item is null)
            {
                continue;
            }

            if (item.Tag.IsFileMetaInformation && depth == 0)
            {
                Warn(_buffer.Position, item.Tag, "A File Meta Information element inside the data set was ignored.");
                continue;
            }

            if (!dataset.AppendRead(item))
            {
                Warn(_buffer.Position, item.Tag, "Repeated element; the first occurrence is kept.");
            }
        }

        if (!encoding.Explicit)
        {
            ResolveAmbiguousVRs(dataset);
        }
    }

    private static DicomTag ReadTagAt(ReadOnlySpan<byte> bytes, bool bigEndian) => bigEndian
        ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(bytes), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]))
        : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(bytes), BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]));

    private async ValueTask<DicomItem?> ReadElementAsync(DicomDataset dataset, Encoding encoding, long end, int depth, bool isMeta, CancellationToken cancellationToken)
    {
        var start = _buffer.Position;
        if (!await _buffer.EnsureAsync(8, cancellationToken).ConfigureAwait(false))
        {
            var partialTag = _buffer.Available >= 4 ? ReadTagAt(_buffer.Peek(4), encoding.BigEndian) : (DicomTag?)null;
            throw new DicomReadException("The input ends inside an element header.", start, partialTag);
        }

        var header = _buffer.Peek(8);
        var tag = ReadTagAt(header, encoding.BigEndian);
        if (tag.Group == 0xFFFE)
        {
            Fail(start, tag, "An item or delimiter tag where a data element was expected.");
            var strayLength = encoding.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            _buffer.Advance(8);
            if (strayLength != UndefinedLength && strayLength > 0 && !await _buffer.SkipAsync(strayLength, cancellationToken).ConfigureAwait(false))
            {
                throw new DicomReadException("The input ends inside a stray item.", start, tag);
            }

            return null;
        }

        DicomVR vr;
        uint length;
        var explicitHere = encoding.Explicit;
        if (explicitHere)
        {
            var parsed = DicomVRExtensions.FromCode(header[4], header[5]);
            if (parsed is { } v)
            {
                vr = v;
                if (!isMeta && !tag.IsPrivate && vr != DicomVR.UN && DicomDictionary.Lookup(tag) is { } known
                    && !known.ValueRepresentations.Contains(vr))
                {
                    Fail(start, tag, $"VR {vr.Code()} disagrees with the dictionary ({string.Join(" or ", known.ValueRepresentations.Select(x => x.Code()))}); the VR in the data is kept.");
                }

                if (vr.HasLongLength())
                {
                    if (!await _buffer.EnsureAsync(12, cancellationToken).ConfigureAwait(false))
                    {
                        throw new DicomReadException("The input ends inside an element header.", start, tag);
                    }

                    length = encoding.BigEndian
                        ? BinaryPrimitives.ReadUInt32BigEndian(_buffer.Peek(12)[8..])
                        : BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Peek(12)[8..]);
                    _buffer.Advance(12);
                }
                else
                {
                    length = encoding.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(header[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
                    _buffer.Advance(8);
                }
            }
            else
            {
                // Not a VR: this element was written implicit (seen in broken writers). Read it so and say so.
                explicitHere = false;
                vr = ImplicitVR(dataset, tag);
                length = encoding.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
                Fail(start, tag, $"Bytes 0x{header[4]:X2}{header[5]:X2} are not a VR in an explicit VR data set; read as implicit VR ({vr.Code()}).");
                _buffer.Advance(8);
            }
        }
        else
        {
            vr = ImplicitVR(dataset, tag);
            length = encoding.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            _buffer.Advance(8);
        }

        if (depth > _options.MaxSequenceDepth)
        {
            throw new DicomReadException($"Sequences nest deeper than {_options.MaxSequenceDepth} levels.", start, tag);
        }

        // Sequences, encapsulated pixel data, and undefined-length UN (CP-246: an implicit VR little endian sequence).
        if (vr == DicomVR.SQ)
        {
            if (!explicitHere && length != UndefinedLength && length > 0 && !await StartsWithItemAsync(encoding, cancellationToken).ConfigureAwait(false))
            {
                // The dictionary says SQ but the value is not a sequence (a retired trial tag reused with another VR).
                Fail(start, tag, "The dictionary says SQ but the value holds no items; kept as UN.");
                return await ReadValueAsync(tag, DicomVR.UN, length, encoding, start, end, cancellationToken).ConfigureAwait(false);
            }

            return await ReadSequenceAsync(tag, length, encoding, depth, start, cancellationToken).ConfigureAwait(false);
        }

        if (length == UndefinedLength)
        {
            if (vr == DicomVR.UN)
            {
                Warn(start, tag, "UN with undefined length: read as a sequence in implicit VR little endian (CP-246).");
                return await ReadSequenceAsync(tag, length, new Encoding(false, false), depth, start, cancellationToken).ConfigureAwait(false);
            }

            if (vr is DicomVR.OB or DicomVR.OW || tag == PixelDataTag)
            {
                return await ReadFragmentsAsync(tag, vr == DicomVR.OW ? DicomVR.OW : DicomVR.OB, encoding, start, cancellationToken).ConfigureAwait(false);
            }

            throw new DicomReadException($"Undefined length is not allowed for VR {vr.Code()}.", start, tag);
        }

        if (isMeta && vr == DicomVR.UN)
        {
            vr = DicomDictionary.ImplicitVR(tag);
        }

        return await ReadValueAsync(tag, vr, length, encoding, start, end, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> StartsWithItemAsync(Encoding encoding, CancellationToken cancellationToken)
    {
        if (!await _buffer.EnsureAsync(4, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        return ReadTagAt(_buffer.Peek(4), encoding.BigEndian) == DicomTag.Item;
    }

    private DicomVR ImplicitVR(DicomDataset dataset, DicomTag tag)
    {
        if (tag.IsPrivate)
        {
            if (tag.IsPrivateCreator)
            {
                return DicomVR.LO;
            }

            if (tag.Element >= 0x1000)
            {
                var creator = dataset.GetString(tag.PrivateCreatorTag);
                var entry = DicomDictionary.LookupPrivate(tag, creator);
                return entry is null ? DicomVR.UN : ImplicitChoice(entry);
            }

            return DicomVR.UN;
        }

        var publicEntry = DicomDictionary.Lookup(tag);
        return publicEntry is null ? DicomVR.UN : ImplicitChoice(publicEntry);
    }

    private static DicomVR ImplicitChoice(DicomDictionaryEntry entry)
    {
        var vrs = entry.ValueRepresentations;
        if (vrs.Count > 1 && vrs.Contains(DicomVR.OW))
        {
            return DicomVR.OW; // "OB or OW" in implicit VR is always OW (PS3.5 A.1)
        }

        return entry.VR;
    }

    private async ValueTask<DicomItem> ReadValueAsync(DicomTag tag, DicomVR vr, uint length, Encoding encoding, long start, long end, CancellationToken cancellationToken)
    {
        var valueStart = _buffer.Position;
        var remaining = _buffer.Remaining;
        if (remaining >= 0 && length > remaining)
        {
            throw new DicomReadException(
                $"The value length {length} exceeds the {remaining} bytes left in the input (truncated or corrupt).", start, tag);
        }

        if (end >= 0 && valueStart + length > end)
        {
            throw new DicomReadException($"The value length {length} runs past the end of its item.", start, tag);
        }

        if ((length & 1) == 1)
        {
            Fail(start, tag, $"Odd value length {length}.");
        }

        var swapUnit = encoding.BigEndian ? SwapUnitFor(vr) : 0;
        if ((vr.IsBulkCandidate() || tag == PixelDataTag) && length >= (uint)_options.BulkDataThreshold && length > 0)
        {
            return new DicomElement(tag, vr, await ReferenceValueAsync(tag, length, swapUnit, start, cancellationToken).ConfigureAwait(false));
        }

        if (length > (uint)_options.MaxInMemoryValueLength)
        {
            throw new DicomReadException($"The value length {length} exceeds the in-memory limit of {_options.MaxInMemoryValueLength} bytes.", start, tag);
        }

        var bytes = await ReadBytesAsync(tag, (int)length, start, cancellationToken).ConfigureAwait(false);
        if (swapUnit > 1)
        {
            ByteSwap.InPlace(bytes, swapUnit);
        }

        return new DicomElement(tag, vr, bytes);
    }

    private static int SwapUnitFor(DicomVR vr) => vr is DicomVR.OB or DicomVR.UN ? 0 : vr.NumberSize();

    private async ValueTask<byte[]> ReadBytesAsync(DicomTag tag, int length, long start, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return [];
        }

        if (_buffer.Remaining >= 0 || length <= 1 << 20)
        {
            var bytes = new byte[length];
            if (!await _buffer.ReadExactAsync(bytes, cancellationToken).ConfigureAwait(false))
            {
                throw new DicomReadException($"The input ends inside the value ({length} bytes expected).", start, tag);
            }

            return bytes;
        }

        // Length not proven by the input: grow as data arrives, so a huge declared length cannot allocate ahead of the bytes.
        using var collected = new MemoryStream();
        if (!await _buffer.CopyToAsync(collected, length, cancellationToken).ConfigureAwait(false))
        {
            throw new DicomReadException($"The input ends inside the value ({length} bytes expected).", start, tag);
        }

        return collected.ToArray();
    }

    private async ValueTask<BulkDataReference> ReferenceValueAsync(DicomTag tag, long length, int swapUnit, long start, CancellationToken cancellationToken)
    {
        if (_referencesAllowed && _source is not null)
        {
            var offset = _buffer.StreamPosition;
            if (!await _buffer.SkipAsync(length, cancellationToken).ConfigureAwait(false))
            {
                throw new DicomReadException($"The input ends inside the value ({length} bytes expected).", start, tag);
            }

            return new BulkDataReference(_source, offset, length, swapUnit);
        }

        var spool = Spool();
        var spoolOffset = spool.Length;
        var writer = spool.Writer;
        if (!await _buffer.CopyToAsync(writer, length, cancellationToken).ConfigureAwait(false))
        {
            throw new DicomReadException($"The input ends inside the value ({length} bytes expected).", start, tag);
        }

        return new BulkDataReference(spool, spoolOffset, length, swapUnit);
    }

    private SpoolBulkDataSource Spool()
    {
        if (_spool is null)
        {
            _spool = new SpoolBulkDataSource(_options.SpoolDirectory);
            _owned.Add(_spool);
        }

        return _spool;
    }

    private async ValueTask<DicomSequence> ReadSequenceAsync(DicomTag tag, uint length, Encoding encoding, int depth, long start, CancellationToken cancellationToken)
    {
        var sequence = new DicomSequence(tag);
        var sequenceEnd = length == UndefinedLength ? -1 : _buffer.Position + length;
        if (sequenceEnd >= 0 && _buffer.Remaining >= 0 && length > _buffer.Remaining)
        {
            throw new DicomReadException($"The sequence length {length} exceeds the {_buffer.Remaining} bytes left in the input.", start, tag);
        }

        while (true)
        {
            if (sequenceEnd >= 0 && _buffer.Position >= sequenceEnd)
            {
                break;
            }

            var itemStart = _buffer.Position;
            if (!await _buffer.EnsureAsync(8, cancellationToken).ConfigureAwait(false))
            {
                throw new DicomReadException("The input ends inside a sequence (no Sequence Delimitation Item).", itemStart, tag);
            }

            var header = _buffer.Peek(8);
            var itemTag = ReadTagAt(header, encoding.BigEndian);
            var itemLength = encoding.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            _buffer.Advance(8);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                if (sequenceEnd >= 0)
                {
                    Fail(itemStart, tag, "A Sequence Delimitation Item inside a sequence of defined length.");
                }

                break;
            }

            if (itemTag != DicomTag.Item)
            {
                throw new DicomReadException($"Expected an item (FFFE,E000) in the sequence but found {itemTag}.", itemStart, tag);
            }

            var item = new DicomDataset();
            sequence.Add(item);
            if (itemLength == UndefinedLength)
            {
                await ReadDatasetAsync(item, encoding, -1, depth + 1, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (_buffer.Remaining >= 0 && itemLength > _buffer.Remaining)
                {
                    throw new DicomReadException($"The item length {itemLength} exceeds the {_buffer.Remaining} bytes left in the input.", itemStart, tag);
                }

                var itemEnd = _buffer.Position + itemLength;
                await ReadDatasetAsync(item, encoding, itemEnd, depth + 1, cancellationToken).ConfigureAwait(false);
            }
        }

        return sequence;
    }

    private async ValueTask<DicomFragmentSequence> ReadFragmentsAsync(DicomTag tag, DicomVR vr, Encoding encoding, long start, CancellationToken cancellationToken)
    {
        var fragments = new DicomFragmentSequence(tag, vr);
        var first = true;
        while (true)
        {
            var itemStart = _buffer.Position;
            if (!await _buffer.EnsureAsync(8, cancellationToken).ConfigureAwait(false))
            {
                throw new DicomReadException("The input ends inside encapsulated pixel data (no Sequence Delimitation Item).", itemStart, tag);
            }

            var header = _buffer.Peek(8);
            var itemTag = ReadTagAt(header, encoding.BigEndian);
            var itemLength = encoding.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            _buffer.Advance(8);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                break;
            }

            if (itemTag != DicomTag.Item || itemLength == UndefinedLength)
            {
                throw new DicomReadException($"Expected a fragment item in encapsulated pixel data but found {itemTag}.", itemStart, tag);
            }

            if (_buffer.Remaining >= 0 && itemLength > _buffer.Remaining)
            {
                throw new DicomReadException(
                    $"The fragment length {itemLength} exceeds the {_buffer.Remaining} bytes left in the input (truncated).", itemStart, tag);
            }

            if (first)
            {
                first = false;
                var table = await ReadBytesAsync(tag, (int)itemLength, itemStart, cancellationToken).ConfigureAwait(false);
                var offsets = new uint[table.Length / 4];
                for (var i = 0; i < offsets.Length; i++)
                {
                    offsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(i * 4));
                }

                fragments.BasicOffsetTable = offsets;
                continue;
            }

            if (itemLength >= (uint)_options.BulkDataThreshold && itemLength > 0)
            {
                fragments.Add(new DicomFragment(await ReferenceValueAsync(tag, itemLength, 0, itemStart, cancellationToken).ConfigureAwait(false)));
            }
            else
            {
                fragments.Add(new DicomFragment(await ReadBytesAsync(tag, (int)itemLength, itemStart, cancellationToken).ConfigureAwait(false)));
            }
        }

        return fragments;
    }

    /// <summary>
    /// Implicit VR leaves some VRs to the data: "US or SS" follows Pixel Representation, LUT Data is US for a one-entry LUT
    /// (the rules pydicom and DCMTK apply).
    /// </summary>
    private static void ResolveAmbiguousVRs(DicomDataset dataset)
    {
        List<DicomElement>? replace = null;
        foreach (var item in dataset)
        {
            if (item is not DicomElement element || element.VR is not (DicomVR.US or DicomVR.OW) || element.Tag.IsPrivate)
            {
                continue;
            }

            var entry = DicomDictionary.Lookup(element.Tag);
            if (entry is null || entry.ValueRepresentations.Count < 2)
            {
                continue;
            }

            var vrs = entry.ValueRepresentations;
            if (element.VR == DicomVR.US && vrs.Contains(DicomVR.SS) && PixelRepresentation(dataset) == 1)
            {
                (replace ??= []).Add(Retyped(element, DicomVR.SS));
            }
            else if (element.VR == DicomVR.OW && vrs.Contains(DicomVR.US) && element.Tag.Element == 0x3006)
            {
                var descriptor = dataset.GetValue<int>(LutDescriptorTag);
                if (descriptor == 1)
                {
                    (replace ??= []).Add(Retyped(element, DicomVR.US));
                }
            }
        }

        if (replace is not null)
        {
            foreach (var element in replace)
            {
                dataset.AddOrUpdate(element);
            }
        }
    }

    private static DicomElement Retyped(DicomElement element, DicomVR vr) =>
        element.BulkData is { } bulk ? new DicomElement(element.Tag, vr, bulk) : new DicomElement(element.Tag, vr, element.InlineValue);

    private static int PixelRepresentation(DicomDataset dataset)
    {
        for (DicomDataset? ds = dataset; ds is not null; ds = ds.Parent?.Owner)
        {
            if (ds.GetElement(PixelRepresentationTag) is { Length: >= 2 } pr)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(pr.InlineValue.Span);
            }
        }

        return 0;
    }

    private void Warn(long offset, DicomTag? tag, string message) => _warnings.Add(new DicomReadWarning(offset, tag, message));

    /// <summary>A tolerated defect: a warning normally, an error in strict mode.</summary>
    private void Fail(long offset, DicomTag? tag, string message)
    {
        if (_options.Strict)
        {
            throw new DicomReadException(message, offset, tag);
        }

        Warn(offset, tag, message);
    }

    private void DisposeOwned()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _owned.Clear();
    }
}
