using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Vna.Codecs;
using Vna.Codecs.Codecs;
using Vna.Codecs.Pixels;
using Vna.Codecs.Transcoding;

namespace Vna.Benchmarks;

/// <summary>
/// Frame codecs of Vna.Codecs on the images tests/bench/codecs.sh writes as 16-bit PGM into <c>VNA_BENCH_CODEC_DIR</c>
/// (tests/bench/codec-images.py: the 512×512 CT of gen-ct.py and a 2500×3000 14-bit mammography-like image): encode and
/// decode of one frame on one thread, and of one frame per processor at once (frame-parallel, as the transcoder runs
/// multi-frame objects), for JPEG 2000 lossless (OpenJPEG), HTJ2K lossless (OpenJPH encode; OpenJPEG decode, as for a
/// codestream from outside — and "sealed", as for the archive's own encodes: the HMAC of <see cref="CodestreamSeal"/> computed
/// on encode, verified on decode, and OpenJPH decode), JPEG-LS lossless (CharLS) and RLE (managed). MB/s counts raw pixel bytes. The compressed size of
/// each image and codec is written to <c>VNA_BENCH_CODEC_DIR/size-IMAGE-CODEC.txt</c> for the ratios.
/// </summary>
[Config(typeof(CodecBenchmarksConfig))]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class CodecBenchmarks
{
    private static readonly int Cores = Environment.ProcessorCount;

    private IFrameCodec _codec = null!;
    private FrameInfo _info;
    private byte[] _pixels = [];
    private byte[] _encoded = [];
    private byte[][] _destinations = [];
    private CodestreamSeal? _seal;
    private byte[] _sealTag = [];

    [Params("ct512", "mammo")]
    public string Image { get; set; } = "ct512";

    [Params("j2k", "htj2k", "htj2k-sealed", "jpegls", "rle")]
    public string Codec { get; set; } = "j2k";

    [GlobalSetup]
    public void Setup()
    {
        var dir = CodecBenchImages.Directory;
        (_info, _pixels) = CodecBenchImages.ReadPgm(Path.Combine(dir, Image + ".pgm"));
        var registry = CodecCatalog.CreateRegistry(new CodecsOptions());
        _codec = registry.Find(CodecBenchImages.Syntax(Codec))!;
        _seal = Codec == "htj2k-sealed" ? new CodestreamSeal(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) : null;
        _encoded = _codec.Encode(_pixels, _info, "MONOCHROME2", EncodeParameters.Default).Data;
        _sealTag = _seal?.Sign(_encoded, padToEven: false) ?? [];
        _destinations = Enumerable.Range(0, Cores).Select(_ => new byte[_info.FrameBytes]).ToArray();
        File.WriteAllText(Path.Combine(dir, $"size-{Image}-{Codec}.txt"), _encoded.Length.ToString(CultureInfo.InvariantCulture));
    }

    [Benchmark]
    public int Encode() => EncodeOne();

    [Benchmark]
    public string Decode() => DecodeOne(_destinations[0]);

    /// <summary>One frame per processor, encoded at once.</summary>
    [Benchmark]
    public void EncodeAllCores() =>
        Parallel.For(0, Cores, new ParallelOptions { MaxDegreeOfParallelism = Cores }, _ => EncodeOne());

    /// <summary>One frame per processor, decoded at once.</summary>
    [Benchmark]
    public void DecodeAllCores() =>
        Parallel.For(0, Cores, new ParallelOptions { MaxDegreeOfParallelism = Cores }, i => DecodeOne(_destinations[i]));

    /// <summary>As the transcoder does it: sealed HTJ2K also signs the codestream.</summary>
    private int EncodeOne()
    {
        var data = _codec.Encode(_pixels, _info, "MONOCHROME2", EncodeParameters.Default).Data;
        return _seal is null ? data.Length : data.Length + _seal.Sign(data, padToEven: true).Length;
    }

    /// <summary>As the transcoder does it: a sealed frame is verified, then decoded by OpenJPH.</summary>
    private string DecodeOne(byte[] destination)
    {
        if (_seal is null)
        {
            return _codec.Decode(_encoded, _info, "MONOCHROME2", destination);
        }

        return _seal.Verify(_encoded, _sealTag)
            ? ((Htj2kCodec)_codec).DecodeSealed(_encoded, _info, "MONOCHROME2", destination)
            : throw new InvalidOperationException("the seal does not verify");
    }

    /// <summary>Raw pixel bytes one operation codes.</summary>
    internal static long BytesPerOperation(BenchmarkCase benchmarkCase)
    {
        var (info, _) = CodecBenchImages.Header(Path.Combine(CodecBenchImages.Directory, (string)benchmarkCase.Parameters["Image"] + ".pgm"));
        var frames = benchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("AllCores", StringComparison.Ordinal) ? Cores : 1;
        return info.FrameBytes * frames;
    }
}

/// <summary>MB/s of raw pixels (10^6 bytes) from the median time of a codec benchmark.</summary>
internal sealed class CodecBenchmarksConfig : ManualConfig
{
    public CodecBenchmarksConfig()
    {
        AddColumn(new CodecThroughputColumn());
    }

    private sealed class CodecThroughputColumn : IColumn
    {
        public string Id => "Vna.CodecMBps";

        public string ColumnName => "MB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Raw pixel bytes (10^6) per median operation time (×processors for the AllCores methods)";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
            return medianNs is > 0
                ? (CodecBenchmarks.BytesPerOperation(benchmarkCase) * 1e3 / medianNs.Value).ToString("N1", CultureInfo.InvariantCulture)
                : "-";
        }

        public override string ToString() => ColumnName;
    }
}
