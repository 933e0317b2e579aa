namespace Vna.Codecs;

/// <summary>Settings of the codecs (section <c>Vna:Codecs</c> of appsettings.json).</summary>
public sealed class CodecsOptions
{
    public const string SectionName = "Vna:Codecs";

    /// <summary>Frames coded at once (each on its own thread, one codec object each). 0: the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; set; }

    /// <summary>Upper bound of the bytes of one decoded frame; a header claiming more is refused before any decode.</summary>
    public long MaxFrameBytes { get; set; } = 1L << 30;

    /// <summary>Outputs above this size are spooled to a temporary file instead of held in memory.</summary>
    public long InMemoryOutputLimit { get; set; } = 64L << 20;

    /// <summary>Where outputs above <see cref="InMemoryOutputLimit"/> and non-seekable inputs are spooled; null: the system temp folder.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Default quality per lossy syntax when a request gives none (JPEG 1–100; JPEG 2000/HTJ2K ratio; JPEG-LS NEAR).</summary>
    public double JpegBaselineQuality { get; set; } = 90;

    public double Jpeg2000Ratio { get; set; } = 10;

    public double Htj2kRatio { get; set; } = 10;

    public int JpegLsNear { get; set; } = 2;

    /// <summary>
    /// Decode HTJ2K with OpenJPH and, when it fails, with OpenJPEG (true); or with OpenJPEG only (false, the default).
    /// OpenJPH 0.9.0 (Debian 12) aborts on assertions and faults on about 1% of mutated codestreams (BadInputTests), which
    /// would kill the archive: turn it on only where every stored HTJ2K codestream is trusted. The archive's own encodes are
    /// decoded by OpenJPH without it, through their <see cref="CodestreamSeal"/>.
    /// </summary>
    public bool PreferOpenJphDecoder { get; set; }

    /// <summary>
    /// The file holding the key of the <see cref="CodestreamSeal"/> (made on first start when absent; every silo of an archive
    /// must read the same key). Unset: the server uses <c>keys/codestream-seal.key</c> in its data folder.
    /// </summary>
    public string? SealKeyFile { get; set; }

    internal int EffectiveParallelism => MaxDegreeOfParallelism > 0 ? MaxDegreeOfParallelism : Environment.ProcessorCount;
}
