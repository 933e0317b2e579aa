namespace Vna.Dicom;

/// <summary>
/// Encapsulated pixel data (PS3.5 A.4): a Basic Offset Table item followed by fragments. Frames are found from the
/// Extended Offset Table when the data set has one, else the Basic Offset Table, else one frame per fragment when the counts
/// agree, else from JPEG-family end-of-image markers.
/// </summary>
public sealed class DicomFragmentSequence : DicomItem
{
    private readonly List<DicomFragment> _fragments = [];

    public DicomFragmentSequence(DicomTag tag, DicomVR vr, IReadOnlyList<uint>? basicOffsetTable = null)
        : base(tag, vr)
    {
        BasicOffsetTable = basicOffsetTable ?? [];
    }

    /// <summary>Offsets of each frame's first fragment, measured from the first byte of the first fragment's item tag; empty when absent.</summary>
    public IReadOnlyList<uint> BasicOffsetTable { get; set; }

    public IReadOnlyList<DicomFragment> Fragments => _fragments;

    public void Add(DicomFragment fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        _fragments.Add(fragment);
    }

    /// <summary>
    /// The fragments of each frame (index ranges into <see cref="Fragments"/>).
    /// <paramref name="numberOfFrames"/> is (0028,0008); <paramref name="extendedOffsets"/> is (7FE0,0001) when present.
    /// </summary>
    public IReadOnlyList<Range> GetFrameFragments(int numberOfFrames, IReadOnlyList<ulong>? extendedOffsets = null)
    {
        numberOfFrames = Math.Max(1, numberOfFrames);
        if (_fragments.Count == 0)
        {
            return [];
        }

        IReadOnlyList<ulong>? offsets = extendedOffsets is { Count: > 0 } ? extendedOffsets
            : BasicOffsetTable.Count > 0 ? BasicOffsetTable.Select(o => (ulong)o).ToArray() : null;

        if (offsets is not null)
        {
            return FromOffsets(offsets);
        }

        if (numberOfFrames == 1)
        {
            return [new Range(0, _fragments.Count)];
        }

        if (numberOfFrames == _fragments.Count)
        {
            return Enumerable.Range(0, numberOfFrames).Select(i => new Range(i, i + 1)).ToArray();
        }

        return FromEndOfImageMarkers(numberOfFrames);
    }

    private Range[] FromOffsets(IReadOnlyList<ulong> offsets)
    {
        // Item start positions: each fragment is an 8-byte item header plus its value.
        var starts = new ulong[_fragments.Count];
        ulong position = 0;
        for (var i = 0; i < _fragments.Count; i++)
        {
            starts[i] = position;
            position += 8 + (ulong)_fragments[i].Length;
        }

        var ranges = new Range[offsets.Count];
        for (var f = 0; f < offsets.Count; f++)
        {
            var first = Array.IndexOf(starts, offsets[f]);
            var endOffset = f + 1 < offsets.Count ? offsets[f + 1] : position;
            var last = endOffset >= position ? _fragments.Count : Array.IndexOf(starts, endOffset);
            if (first < 0 || last < 0 || last < first)
            {
                throw new DicomDataException($"The offset table entry {f} ({offsets[f]}) does not point at a fragment boundary.");
            }

            ranges[f] = new Range(first, last);
        }

        return ranges;
    }

    private Range[] FromEndOfImageMarkers(int numberOfFrames)
    {
        // JPEG family codestreams end with FFD9 (JPEG, JPEG-LS) or FFD9 (JPEG 2000 EOC): a frame ends with the fragment
        // whose last non-padding bytes are FF D9.
        var ranges = new List<Range>(numberOfFrames);
        var start = 0;
        for (var i = 0; i < _fragments.Count; i++)
        {
            if (EndsWithEndOfImage(_fragments[i]) || i == _fragments.Count - 1)
            {
                ranges.Add(new Range(start, i + 1));
                start = i + 1;
            }
        }

        if (ranges.Count != numberOfFrames)
        {
            throw new DicomDataException(
                $"Cannot map {_fragments.Count} fragments to {numberOfFrames} frames: no offset table and {ranges.Count} end-of-image markers.");
        }

        return ranges.ToArray();
    }

    private static bool EndsWithEndOfImage(DicomFragment fragment)
    {
        if (fragment.Length < 2)
        {
            return false;
        }

        Span<byte> tail = stackalloc byte[3];
        var n = (int)Math.Min(3, fragment.Length);
        if (fragment.BulkData is null)
        {
            fragment.InlineValue.Span[^n..].CopyTo(tail[(3 - n)..]);
        }
        else
        {
            using var stream = fragment.BulkData.Source.OpenRead();
            stream.Seek(fragment.BulkData.Offset + fragment.BulkData.Length - n, SeekOrigin.Begin);
            stream.ReadExactly(tail[(3 - n)..]);
        }

        return (tail[1] == 0xFF && tail[2] == 0xD9) || (tail[0] == 0xFF && tail[1] == 0xD9 && tail[2] == 0x00);
    }

    public override string ToString() => $"{Tag} {VR.Code()} encapsulated ({_fragments.Count} fragments)";
}
