using Vna.Core;

namespace Vna.Codecs.Codecs;

/// <summary>
/// A managed decoder for the JPEG (ISO/IEC 10918-1) processes Debian 12's TurboJPEG 2.1 cannot read: extended sequential
/// DCT with 12-bit samples (process 2/4, DICOM .51) and lossless (process 14, .57, and its selection value 1, .70); it reads
/// baseline (process 1) too. Huffman coding only; no progressive or arithmetic coding. Bounds are checked everywhere: bad
/// input raises <see cref="TranscodeException"/>, never an out-of-range access.
/// </summary>
internal sealed class ManagedJpegDecoder
{
    private static readonly int[] s_zigzag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private static readonly double[] s_idct = BuildIdctTable();

    private readonly byte[] _data;
    private readonly HuffmanTable?[] _dcTables = new HuffmanTable?[4];
    private readonly HuffmanTable?[] _acTables = new HuffmanTable?[4];
    private readonly int[][] _quant = new int[4][];
    private Component[] _components = [];
    private int _position;
    private int _restartInterval;
    private int _precision;
    private int _width;
    private int _height;
    private bool _lossless;
    private bool _frameSeen;
    private int _maxH = 1;
    private int _maxV = 1;

    private ManagedJpegDecoder(byte[] data) => _data = data;

    /// <summary>What the frame header says.</summary>
    public readonly record struct Header(int Width, int Height, int Components, int Precision, bool Lossless);

    /// <summary>
    /// Decodes a whole JPEG stream; returns the header and the samples as unsigned values, interleaved, one int per sample,
    /// chroma upsampled to full resolution. <paramref name="maxSamples"/> bounds the allocation before any decoding.
    /// </summary>
    public static (Header Header, int[] Samples) Decode(ReadOnlySpan<byte> jpeg, long maxSamples)
    {
        var decoder = new ManagedJpegDecoder(jpeg.ToArray());
        try
        {
            return decoder.Run(maxSamples);
        }
        catch (IndexOutOfRangeException ex)
        {
            throw new TranscodeException("JPEG stream is truncated or corrupt.", ex);
        }
    }

    private (Header, int[]) Run(long maxSamples)
    {
        if (_data.Length < 4 || _data[0] != 0xFF || _data[1] != 0xD8)
        {
            throw new TranscodeException("Not a JPEG stream (no SOI marker).");
        }

        _position = 2;
        var scans = 0;
        while (true)
        {
            var marker = NextMarker();
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC3:
                    ReadFrame(marker == 0xC3, maxSamples);
                    break;
                case 0xC2 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                    throw new TranscodeException($"JPEG process with SOF marker FF{marker:X2} (progressive, hierarchical or arithmetic) is not supported.");
                case 0xC4:
                    ReadHuffmanTables();
                    break;
                case 0xDB:
                    ReadQuantizationTables();
                    break;
                case 0xDD:
                    _restartInterval = ReadUInt16(_position + 2);
                    SkipSegment();
                    break;
                case 0xDA:
                    ReadScan();
                    scans++;
                    break;
                case 0xD9:
                    if (!_frameSeen || scans == 0)
                    {
                        throw new TranscodeException("JPEG stream ends before any scan.");
                    }

                    return (new Header(_width, _height, _components.Length, _precision, _lossless), Assemble());
                case 0xF7:
                    throw new TranscodeException("This is a JPEG-LS stream (SOF55), not JPEG.");
                default:
                    SkipSegment();
                    break;
            }
        }
    }

    private int NextMarker()
    {
        // Skip fill bytes and anything between segments until FF xx (xx not 00, not FF).
        while (true)
        {
            if (_position + 1 >= _data.Length)
            {
                if (_frameSeen && _components.Length > 0 && _components.All(c => c.Decoded))
                {
                    return 0xD9; // tolerate a missing EOI after complete scans
                }

                throw new TranscodeException("JPEG stream is truncated (no EOI).");
            }

            if (_data[_position] == 0xFF && _data[_position + 1] is not (0x00 or 0xFF))
            {
                var marker = _data[_position + 1];
                _position += 2;
                return marker;
            }

            _position++;
        }
    }

    private int ReadUInt16(int at)
    {
        if (at + 1 >= _data.Length)
        {
            throw new TranscodeException("JPEG segment is truncated.");
        }

        return (_data[at] << 8) | _data[at + 1];
    }

    private int SegmentEnd()
    {
        var length = ReadUInt16(_position);
        var end = _position + length;
        if (length < 2 || end > _data.Length)
        {
            throw new TranscodeException("JPEG segment length runs past the end of the stream.");
        }

        return end;
    }

    private void SkipSegment() => _position = SegmentEnd();

    private void ReadFrame(bool lossless, long maxSamples)
    {
        if (_frameSeen)
        {
            throw new TranscodeException("JPEG stream has more than one frame header.");
        }

        var end = SegmentEnd();
        var p = _position + 2;
        _precision = _data[p];
        _height = ReadUInt16(p + 1);
        _width = ReadUInt16(p + 3);
        var count = _data[p + 5];
        if (p + 6 + (count * 3) > end || count is < 1 or > 4)
        {
            throw new TranscodeException($"JPEG frame header declares {count} components.");
        }

        if (lossless ? _precision is < 2 or > 16 : _precision is not (8 or 12))
        {
            throw new TranscodeException($"JPEG sample precision {_precision} is not valid for this process.");
        }

        if (_width == 0 || _height == 0)
        {
            throw new TranscodeException("JPEG frame has zero width or height (DNL is not supported).");
        }

        if ((long)_width * _height * count > maxSamples)
        {
            throw new TranscodeException($"JPEG frame {_width}x{_height}x{count} is larger than the frame the data set describes.");
        }

        _components = new Component[count];
        for (var i = 0; i < count; i++)
        {
            var q = p + 6 + (i * 3);
            var h = _data[q + 1] >> 4;
            var v = _data[q + 1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4 || _data[q + 2] > 3)
            {
                throw new TranscodeException("JPEG component sampling factors or table selector are invalid.");
            }

            if (lossless && (h != 1 || v != 1) && count > 1)
            {
                throw new TranscodeException("Subsampled lossless JPEG is not supported.");
            }

            _components[i] = new Component { Id = _data[q], H = h, V = v, QuantTable = _data[q + 2] };
        }

        _maxH = _components.Max(c => c.H);
        _maxV = _components.Max(c => c.V);
        _lossless = lossless;
        foreach (var c in _components)
        {
            if (lossless)
            {
                c.Width = _width;
                c.Height = _height;
                c.Stride = _width;
            }
            else
            {
                c.Width = (int)Math.Ceiling(_width * c.H / (double)_maxH);
                c.Height = (int)Math.Ceiling(_height * c.V / (double)_maxV);
                var mcusX = (_width + (8 * _maxH) - 1) / (8 * _maxH);
                var mcusY = (_height + (8 * _maxV) - 1) / (8 * _maxV);
                c.BlocksPerLine = mcusX * c.H;
                c.BlocksPerColumn = mcusY * c.V;
                c.Stride = c.BlocksPerLine * 8;
            }

            var rows = lossless ? c.Height : c.BlocksPerColumn * 8;
            c.Samples = new int[(long)c.Stride * rows];
        }

        _frameSeen = true;
        _position = end;
    }

    private void ReadHuffmanTables()
    {
        var end = SegmentEnd();
        var p = _position + 2;
        while (p < end)
        {
            var tc = _data[p] >> 4;
            var th = _data[p] & 15;
            if (tc > 1 || th > 3 || p + 17 > end)
            {
                throw new TranscodeException("JPEG Huffman table header is invalid.");
            }

            var counts = new int[17];
            var total = 0;
            for (var i = 1; i <= 16; i++)
            {
                counts[i] = _data[p + i];
                total += counts[i];
            }

            if (total > 256 || p + 17 + total > end)
            {
                throw new TranscodeException("JPEG Huffman table is longer than its segment.");
            }

            var table = new HuffmanTable(counts, _data.AsSpan(p + 17, total));
            if (tc == 0)
            {
                _dcTables[th] = table;
            }
            else
            {
                _acTables[th] = table;
            }

            p += 17 + total;
        }

        _position = end;
    }

    private void ReadQuantizationTables()
    {
        var end = SegmentEnd();
        var p = _position + 2;
        while (p < end)
        {
            var pq = _data[p] >> 4;
            var tq = _data[p] & 15;
            var size = pq == 0 ? 64 : 128;
            if (pq > 1 || tq > 3 || p + 1 + size > end)
            {
                throw new TranscodeException("JPEG quantisation table is invalid.");
            }

            var table = new int[64];
            for (var k = 0; k < 64; k++)
            {
                table[k] = pq == 0 ? _data[p + 1 + k] : ReadUInt16(p + 1 + (2 * k));
            }

            _quant[tq] = table;
            p += 1 + size;
        }

        _position = end;
    }

    private void ReadScan()
    {
        if (!_frameSeen)
        {
            throw new TranscodeException("JPEG scan before the frame header.");
        }

        var end = SegmentEnd();
        var p = _position + 2;
        var count = _data[p];
        if (count is < 1 or > 4 || p + 1 + (count * 2) + 3 > end)
        {
            throw new TranscodeException("JPEG scan header is invalid.");
        }

        var scan = new Component[count];
        for (var i = 0; i < count; i++)
        {
            var id = _data[p + 1 + (i * 2)];
            var tables = _data[p + 2 + (i * 2)];
            var component = _components.FirstOrDefault(c => c.Id == id)
                ?? throw new TranscodeException($"JPEG scan names component {id}, which the frame does not have.");
            component.DcTable = _dcTables[tables >> 4] ?? throw new TranscodeException("JPEG scan uses an undefined DC/lossless Huffman table.");
            component.AcTable = _lossless ? null : _acTables[tables & 15] ?? throw new TranscodeException("JPEG scan uses an undefined AC Huffman table.");
            scan[i] = component;
        }

        var q = p + 1 + (count * 2);
        var ss = _data[q];
        var pointTransform = _data[q + 2] & 15;
        _position = end;
        var reader = new BitReader(_data, _position);
        if (_lossless)
        {
            if (ss is < 1 or > 7)
            {
                throw new TranscodeException($"Lossless JPEG predictor {ss} is not 1..7.");
            }

            DecodeLosslessScan(scan, ss, pointTransform, ref reader);
        }
        else
        {
            DecodeSequentialScan(scan, ref reader);
        }

        foreach (var c in scan)
        {
            c.Decoded = true;
        }

        _position = reader.End;
    }

    private void DecodeLosslessScan(Component[] scan, int predictor, int pointTransform, ref BitReader reader)
    {
        // T.81 H.1.2.1: the first sample of the scan and of each restart interval is predicted by 2^(P-Pt-1), the rest of
        // that first line by the left neighbour (Ra), the first sample of each later line by the one above (Rb).
        var mask = (1 << _precision) - 1;
        var initial = 1 << (_precision - pointTransform - 1);
        long mcus = 0;
        var firstLine = true;
        var resetNext = true;
        for (var y = 0; y < _height; y++)
        {
            for (var x = 0; x < _width; x++)
            {
                if (_restartInterval > 0 && mcus > 0 && mcus % _restartInterval == 0)
                {
                    reader.Restart();
                    firstLine = true;
                    resetNext = true;
                }

                foreach (var c in scan)
                {
                    var row = y * c.Stride;
                    int prediction;
                    if (resetNext)
                    {
                        prediction = initial;
                    }
                    else if (firstLine)
                    {
                        prediction = c.Samples[row + x - 1];
                    }
                    else if (x == 0)
                    {
                        prediction = c.Samples[row - c.Stride];
                    }
                    else
                    {
                        var ra = c.Samples[row + x - 1];
                        var rb = c.Samples[row - c.Stride + x];
                        var rc = c.Samples[row - c.Stride + x - 1];
                        prediction = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            _ => (ra + rb) >> 1,
                        };
                    }

                    var category = reader.Decode(c.DcTable!);
                    var difference = category switch
                    {
                        0 => 0,
                        16 => 32768,
                        > 16 => throw new TranscodeException($"Lossless JPEG difference category {category} is invalid."),
                        _ => Extend(reader.Receive(category), category),
                    };
                    c.Samples[row + x] = (prediction + difference) & 0xFFFF & (mask >> pointTransform);
                }

                resetNext = false;
                mcus++;
            }

            firstLine = false;
        }

        if (pointTransform > 0)
        {
            foreach (var c in scan)
            {
                for (var i = 0; i < c.Samples.Length; i++)
                {
                    c.Samples[i] = (c.Samples[i] << pointTransform) & mask;
                }
            }
        }
    }

    private void DecodeSequentialScan(Component[] scan, ref BitReader reader)
    {
        var block = new int[64];
        var mcusX = (_width + (8 * _maxH) - 1) / (8 * _maxH);
        var mcusY = (_height + (8 * _maxV) - 1) / (8 * _maxV);
        foreach (var c in scan)
        {
            c.DcPredictor = 0;
            if (_quant[c.QuantTable] is null)
            {
                throw new TranscodeException("JPEG component uses an undefined quantisation table.");
            }
        }

        var single = scan.Length == 1;
        var total = single ? (long)((scan[0].Width + 7) / 8) * ((scan[0].Height + 7) / 8) : (long)mcusX * mcusY;
        var perLine = single ? (scan[0].Width + 7) / 8 : mcusX;
        for (long mcu = 0; mcu < total; mcu++)
        {
            if (_restartInterval > 0 && mcu > 0 && mcu % _restartInterval == 0)
            {
                reader.Restart();
                foreach (var c in scan)
                {
                    c.DcPredictor = 0;
                }
            }

            var mx = (int)(mcu % perLine);
            var my = (int)(mcu / perLine);
            if (single)
            {
                DecodeBlock(scan[0], block, ref reader, mx, my);
                continue;
            }

            foreach (var c in scan)
            {
                for (var v = 0; v < c.V; v++)
                {
                    for (var h = 0; h < c.H; h++)
                    {
                        DecodeBlock(c, block, ref reader, (mx * c.H) + h, (my * c.V) + v);
                    }
                }
            }
        }
    }

    private void DecodeBlock(Component c, int[] block, ref BitReader reader, int blockX, int blockY)
    {
        Array.Clear(block);
        var quant = _quant[c.QuantTable];
        var t = reader.Decode(c.DcTable!);
        if (t > 16)
        {
            throw new TranscodeException("JPEG DC category is invalid.");
        }

        var diff = t == 0 ? 0 : Extend(reader.Receive(t), t);
        c.DcPredictor += diff;
        block[0] = c.DcPredictor * quant[0];
        for (var k = 1; k < 64;)
        {
            var rs = reader.Decode(c.AcTable!);
            var r = rs >> 4;
            var s = rs & 15;
            if (s == 0)
            {
                if (r != 15)
                {
                    break;
                }

                k += 16;
                continue;
            }

            k += r;
            if (k > 63)
            {
                throw new TranscodeException("JPEG AC coefficients run past the end of a block.");
            }

            block[s_zigzag[k]] = Extend(reader.Receive(s), s) * quant[k];
            k++;
        }

        if (blockX >= c.BlocksPerLine || blockY >= c.BlocksPerColumn)
        {
            return; // padding blocks of a non-interleaved scan
        }

        InverseDct(block, c.Samples, (blockY * 8 * c.Stride) + (blockX * 8), c.Stride);
    }

    private void InverseDct(int[] block, int[] output, int offset, int stride)
    {
        Span<double> temp = stackalloc double[64];
        for (var y = 0; y < 8; y++)
        {
            for (var u = 0; u < 8; u++)
            {
                double sum = 0;
                for (var v = 0; v < 8; v++)
                {
                    sum += s_idct[(y * 8) + v] * block[(v * 8) + u];
                }

                temp[(y * 8) + u] = sum;
            }
        }

        var shift = 1 << (_precision - 1);
        var max = (1 << _precision) - 1;
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                double sum = 0;
                for (var u = 0; u < 8; u++)
                {
                    sum += s_idct[(x * 8) + u] * temp[(y * 8) + u];
                }

                output[offset + (y * stride) + x] = Math.Clamp((int)Math.Round(sum) + shift, 0, max);
            }
        }
    }

    private int[] Assemble()
    {
        foreach (var c in _components)
        {
            if (!c.Decoded)
            {
                throw new TranscodeException($"JPEG component {c.Id} has no scan.");
            }
        }

        var count = _components.Length;
        var result = new int[(long)_width * _height * count];
        for (var i = 0; i < count; i++)
        {
            var c = _components[i];
            for (var y = 0; y < _height; y++)
            {
                var sy = y * c.V / _maxV;
                var row = sy * c.Stride;
                var o = (y * _width * count) + i;
                for (var x = 0; x < _width; x++)
                {
                    result[o + (x * count)] = c.Samples[row + (x * c.H / _maxH)];
                }
            }
        }

        return result;
    }

    private static int Extend(int value, int bits) => value < (1 << (bits - 1)) ? value - (1 << bits) + 1 : value;

    private static double[] BuildIdctTable()
    {
        // table[x*8+u] = C(u)/2 * cos((2x+1)u pi/16)
        var table = new double[64];
        for (var x = 0; x < 8; x++)
        {
            for (var u = 0; u < 8; u++)
            {
                var cu = u == 0 ? Math.Sqrt(0.5) : 1.0;
                table[(x * 8) + u] = cu / 2 * Math.Cos(((2 * x) + 1) * u * Math.PI / 16);
            }
        }

        return table;
    }

    private sealed class Component
    {
        public int Id;
        public int H;
        public int V;
        public int QuantTable;
        public int Width;
        public int Height;
        public int Stride;
        public int BlocksPerLine;
        public int BlocksPerColumn;
        public int[] Samples = [];
        public HuffmanTable? DcTable;
        public HuffmanTable? AcTable;
        public int DcPredictor;
        public bool Decoded;
    }

    /// <summary>A Huffman table as ITU T.81 F.2.2.3 decodes it: per code length, the largest code and where its values start.</summary>
    private sealed class HuffmanTable
    {
        public readonly int[] MaxCode = new int[18];
        public readonly int[] ValueOffset = new int[18];
        public readonly byte[] Values;

        public HuffmanTable(int[] counts, ReadOnlySpan<byte> values)
        {
            Values = values.ToArray();
            var code = 0;
            var k = 0;
            for (var length = 1; length <= 16; length++)
            {
                ValueOffset[length] = k - code;
                code += counts[length];
                k += counts[length];
                MaxCode[length] = counts[length] > 0 ? code - 1 : -1;
                code <<= 1;
            }

            MaxCode[17] = int.MaxValue;
        }
    }

    /// <summary>Reads entropy-coded bits: FF00 is a stuffed FF; any other marker ends the data (zeros are fed after it).</summary>
    private struct BitReader(byte[] data, int position)
    {
        private int _position = position;
        private uint _buffer;
        private int _bits;
        private bool _atMarker;

        public readonly int End => _position;

        public void Restart()
        {
            _buffer = 0;
            _bits = 0;
            _atMarker = false;

            // Find the RSTn marker and step over it.
            while (_position + 1 < data.Length && !(data[_position] == 0xFF && data[_position + 1] is >= 0xD0 and <= 0xD7))
            {
                if (data[_position] == 0xFF && data[_position + 1] is not (0x00 or 0xFF))
                {
                    throw new TranscodeException("JPEG restart marker missing.");
                }

                _position++;
            }

            if (_position + 1 >= data.Length)
            {
                throw new TranscodeException("JPEG stream is truncated before a restart marker.");
            }

            _position += 2;
        }

        public int Receive(int count)
        {
            var value = 0;
            for (var i = 0; i < count; i++)
            {
                value = (value << 1) | Bit();
            }

            return value;
        }

        public int Decode(HuffmanTable table)
        {
            var code = 0;
            for (var length = 1; length <= 16; length++)
            {
                code = (code << 1) | Bit();
                if (code <= table.MaxCode[length])
                {
                    var index = table.ValueOffset[length] + code;
                    if ((uint)index >= (uint)table.Values.Length)
                    {
                        throw new TranscodeException("JPEG Huffman code is invalid.");
                    }

                    return table.Values[index];
                }
            }

            throw new TranscodeException("JPEG Huffman code is invalid (longer than 16 bits).");
        }

        private int Bit()
        {
            if (_bits == 0)
            {
                Fill();
            }

            _bits--;
            return (int)((_buffer >> _bits) & 1);
        }

        private void Fill()
        {
            var b = 0;
            if (!_atMarker && _position < data.Length)
            {
                b = data[_position];
                if (b == 0xFF)
                {
                    var next = _position + 1 < data.Length ? data[_position + 1] : 0xD9;
                    if (next == 0x00)
                    {
                        _position += 2;
                    }
                    else
                    {
                        _atMarker = true;
                        b = 0;
                    }
                }
                else
                {
                    _position++;
                }
            }
            else if (!_atMarker)
            {
                throw new TranscodeException("JPEG entropy-coded data is truncated.");
            }

            _buffer = (_buffer << 8) | (uint)b;
            _bits = 8;
        }
    }
}
