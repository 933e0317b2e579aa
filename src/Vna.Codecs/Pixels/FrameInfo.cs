namespace Vna.Codecs.Pixels;

/// <summary>
/// The shape of one frame as the data set describes it (PS3.3 C.7.6.3): the codecs exchange frames as interleaved
/// (Planar Configuration 0), little-endian samples of <see cref="BytesPerSample"/> bytes.
/// </summary>
internal readonly record struct FrameInfo(int Columns, int Rows, int SamplesPerPixel, int BitsAllocated, int BitsStored, bool Signed)
{
    public int BytesPerSample => (BitsAllocated + 7) / 8;

    public long Samples => (long)Columns * Rows * SamplesPerPixel;

    public long FrameBytes => BitsAllocated == 1 ? ((long)Columns * Rows * SamplesPerPixel + 7) / 8 : Samples * BytesPerSample;

    public int MinValue => Signed ? -(1 << (BitsStored - 1)) : 0;

    public int MaxValue => Signed ? (1 << (BitsStored - 1)) - 1 : (int)((1L << BitsStored) - 1);

    public override string ToString() =>
        $"{Columns}x{Rows}, {SamplesPerPixel} sample(s), {BitsStored}/{BitsAllocated} bits {(Signed ? "signed" : "unsigned")}";
}
