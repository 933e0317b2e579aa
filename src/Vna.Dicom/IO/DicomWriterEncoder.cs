namespace Vna.Dicom;

/// <summary>
/// Encodes a data set in one transfer syntax into a <see cref="DicomWriterBuffer"/> (PS3.5 7): element headers, values
/// swapped to big endian when needed, sequences with undefined or defined lengths, encapsulated pixel data.
/// </summary>
internal sealed class DicomWriterEncoder
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    private readonly DicomWriterBuffer _buffer;
    private readonly DicomWriterLayout _layout;

    public DicomWriterEncoder(DicomWriterBuffer buffer, DicomWriterLayout layout)
    {
        _buffer = buffer;
        _layout = layout;
    }

    /// <summary>Writes a top-level data set (or the File Meta Information group, with a meta layout).</summary>
    public ValueTask WriteAsync(DicomDataset dataset, CancellationToken cancellationToken)
    {
        _buffer.BigEndian = _layout.IsBigEndian;
        return WriteDatasetAsync(dataset, topLevel: true, cancellationToken);
    }

    private async ValueTask WriteDatasetAsync(DicomDataset dataset, bool topLevel, CancellationToken cancellationToken)
    {
        foreach (var item in dataset)
        {
            if (_layout.Skip(item, topLevel))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            switch (item)
            {
                case DicomElement element when element.Tag.IsGroupLength:
                    await WriteGroupLengthAsync(element.Tag, _layout.GroupLength(dataset, element.Tag.Group, topLevel), cancellationToken)
                        .ConfigureAwait(false);
                    break;
                case DicomElement element:
                    await WriteElementAsync(element, cancellationToken).ConfigureAwait(false);
                    break;
                case DicomSequence sequence:
                    await WriteSequenceAsync(sequence, cancellationToken).ConfigureAwait(false);
                    break;
                case DicomFragmentSequence fragments:
                    await WriteFragmentsAsync(fragments, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"{item.Tag}: cannot write an item of type {item.GetType().Name}.");
            }
        }
    }

    private async ValueTask WriteGroupLengthAsync(DicomTag tag, long length, CancellationToken cancellationToken)
    {
        await _buffer.EnsureAsync(12, cancellationToken).ConfigureAwait(false);
        WriteHeader(tag, DicomVR.UL, 4);
        _buffer.WriteUInt32(checked((uint)length));
    }

    /// <summary>Writes an element; one held in memory that fits the buffer is written without an async state machine.</summary>
    private ValueTask WriteElementAsync(DicomElement element, CancellationToken cancellationToken)
    {
        if (element.BulkData is null)
        {
            var value = element.InlineValue.Span;
            var padded = DicomWriterLayout.Padded(value.Length);
            if (_buffer.Free >= 12 + padded)
            {
                var vr = element.VR;
                var headerVR = _layout.HeaderVR(vr, padded);
                WriteHeader(element.Tag, headerVR, (uint)padded);
                _buffer.WriteValue(value, _layout.SwapUnit(vr, headerVR));
                if (padded != value.Length)
                {
                    _buffer.WriteByte(vr.PaddingByte());
                }

                return default;
            }
        }

        return WriteElementSlowAsync(element, cancellationToken);
    }

    private async ValueTask WriteElementSlowAsync(DicomElement element, CancellationToken cancellationToken)
    {
        var vr = element.VR;
        var length = element.Length;
        var padded = DicomWriterLayout.Padded(length);
        var headerVR = _layout.HeaderVR(vr, padded);
        var swapUnit = _layout.SwapUnit(vr, headerVR);

        await _buffer.EnsureAsync(12, cancellationToken).ConfigureAwait(false);
        WriteHeader(element.Tag, headerVR, checked((uint)padded));

        if (element.BulkData is { } bulk)
        {
            var source = bulk.OpenRead();
            await using (source.ConfigureAwait(false))
            {
                await _buffer.WriteFromStreamAsync(source, length, swapUnit, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await _buffer.WriteValueAsync(element.InlineValue, swapUnit, cancellationToken).ConfigureAwait(false);
        }

        if (padded != length)
        {
            await _buffer.EnsureAsync(1, cancellationToken).ConfigureAwait(false);
            _buffer.WriteByte(vr.PaddingByte());
        }
    }

    private async ValueTask WriteSequenceAsync(DicomSequence sequence, CancellationToken cancellationToken)
    {
        var defined = _layout.IsDefinedLength(sequence);
        await _buffer.EnsureAsync(12, cancellationToken).ConfigureAwait(false);
        WriteHeader(sequence.Tag, DicomVR.SQ, defined ? checked((uint)_layout.SequenceContentLength(sequence)) : UndefinedLength);

        foreach (var item in sequence.Items)
        {
            var itemLength = defined ? checked((uint)_layout.ItemLength(item)) : UndefinedLength;
            await _buffer.EnsureAsync(8, cancellationToken).ConfigureAwait(false);
            _buffer.WriteTag(DicomTag.Item);
            _buffer.WriteUInt32(itemLength);

            var start = _buffer.Position;
            await WriteDatasetAsync(item, topLevel: false, cancellationToken).ConfigureAwait(false);
            if (defined && _buffer.Position - start != itemLength)
            {
                throw new InvalidOperationException(
                    $"{sequence.Tag}: an item was computed as {itemLength} bytes but {_buffer.Position - start} were written.");
            }

            if (!defined)
            {
                await WriteDelimiterAsync(DicomTag.ItemDelimitationItem, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!defined)
        {
            await WriteDelimiterAsync(DicomTag.SequenceDelimitationItem, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteFragmentsAsync(DicomFragmentSequence fragments, CancellationToken cancellationToken)
    {
        var vr = DicomVR.OB; // encapsulated pixel data is OB whatever the source said (PS3.5 A.4)
        await _buffer.EnsureAsync(20, cancellationToken).ConfigureAwait(false);
        WriteHeader(fragments.Tag, vr, UndefinedLength);

        // Basic Offset Table: an item of 32-bit offsets (empty when there is none).
        var offsets = fragments.BasicOffsetTable;
        _buffer.WriteTag(DicomTag.Item);
        _buffer.WriteUInt32(checked((uint)(4L * offsets.Count)));
        for (var i = 0; i < offsets.Count; i++)
        {
            await _buffer.EnsureAsync(4, cancellationToken).ConfigureAwait(false);
            _buffer.WriteUInt32(offsets[i]);
        }

        foreach (var fragment in fragments.Fragments)
        {
            var length = fragment.Length;
            var padded = DicomWriterLayout.Padded(length);
            await _buffer.EnsureAsync(8, cancellationToken).ConfigureAwait(false);
            _buffer.WriteTag(DicomTag.Item);
            _buffer.WriteUInt32(checked((uint)padded));

            // Fragments are byte streams (compressed data): never swapped.
            if (fragment.BulkData is { } bulk)
            {
                var source = bulk.OpenRead();
                await using (source.ConfigureAwait(false))
                {
                    await _buffer.WriteFromStreamAsync(source, length, 0, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await _buffer.WriteValueAsync(fragment.InlineValue, 0, cancellationToken).ConfigureAwait(false);
            }

            if (padded != length)
            {
                await _buffer.EnsureAsync(1, cancellationToken).ConfigureAwait(false);
                _buffer.WriteByte(0);
            }
        }

        await WriteDelimiterAsync(DicomTag.SequenceDelimitationItem, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteDelimiterAsync(DicomTag tag, CancellationToken cancellationToken)
    {
        await _buffer.EnsureAsync(8, cancellationToken).ConfigureAwait(false);
        _buffer.WriteTag(tag);
        _buffer.WriteUInt32(0);
    }

    /// <summary>Tag, then VR and 16- or 32-bit length (explicit VR) or a 32-bit length (implicit VR). Needs 12 free bytes.</summary>
    private void WriteHeader(DicomTag tag, DicomVR headerVR, uint length)
    {
        _buffer.WriteTag(tag);
        if (!_layout.IsExplicitVR)
        {
            _buffer.WriteUInt32(length);
            return;
        }

        _buffer.WriteVR(headerVR);
        if (headerVR.HasLongLength())
        {
            _buffer.WriteUInt16(0);
            _buffer.WriteUInt32(length);
        }
        else
        {
            _buffer.WriteUInt16((ushort)length);
        }
    }
}
