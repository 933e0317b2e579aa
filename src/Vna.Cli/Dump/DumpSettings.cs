namespace Vna.Cli.Dump;

/// <summary>What <c>vna dump</c> was asked to do.</summary>
internal sealed record DumpSettings
{
    public DumpFormat Format { get; init; } = DumpFormat.Text;

    /// <summary>Tolerated defects fail the file (DicomReaderOptions.Strict).</summary>
    public bool Strict { get; init; }

    /// <summary>Stop reading at (7FE0,0010) Pixel Data.</summary>
    public bool StopAtPixelData { get; init; }

    /// <summary>How many files are read at once; output keeps the order of the files.</summary>
    public int Parallelism { get; init; } = 1;
}
