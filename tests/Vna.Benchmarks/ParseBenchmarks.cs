using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Vna.Dicom;

namespace Vna.Benchmarks;

/// <summary>
/// Parsing cost of <see cref="DicomReader"/> on a synthetic 512x512 16-bit CT slice (made by gen-ct.py, or
/// <c>VNA_BENCH_CT</c>) and on the 96-frame JPEG XA of the shared samples (skipped when absent): header only
/// (stop at Pixel Data), full parse with everything in memory (from a MemoryStream over the preloaded bytes, and from the
/// file, as dcmdump reads by default), and full parse of a file with bulk data by reference (the reader's default 64 KiB threshold).
/// MB/s and files/s are computed from the median (robust on a shared machine) and the file size (MB = 10^6 bytes, whole
/// file, even for header-only reads).
/// </summary>
[Config(typeof(ParseBenchmarksConfig))]
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class ParseBenchmarks
{
    private static readonly DicomReaderOptions HeaderOnly = new() { StopAtTag = DicomTag.PixelData };
    private static readonly DicomReaderOptions AllInMemory = new() { BulkDataThreshold = int.MaxValue };

    private byte[] _bytes = [];
    private string _path = "";

    /// <summary>The sample to parse (see <see cref="Samples"/>).</summary>
    [ParamsSource(nameof(Samples))]
    public string Sample { get; set; } = BenchSamples.Ct;

    /// <summary>The samples found on this machine: the CT always (generated when needed), the XA when ../shared holds it.</summary>
    public static IEnumerable<string> Samples => BenchSamples.Available();

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchSamples.Resolve(Sample);
        _bytes = File.ReadAllBytes(_path);
    }

    [Benchmark(Description = "Header only, MemoryStream")]
    public async Task<int> ParseHeaderOnlyFromMemory()
    {
        using var stream = new MemoryStream(_bytes, writable: false);
        using var file = await DicomReader.ReadAsync(stream, HeaderOnly);
        return file.Dataset.Count;
    }

    [Benchmark(Description = "Full, all in memory, MemoryStream")]
    public async Task<int> ParseFullFromMemory()
    {
        using var stream = new MemoryStream(_bytes, writable: false);
        using var file = await DicomReader.ReadAsync(stream, AllInMemory);
        return file.Dataset.Count;
    }

    [Benchmark(Description = "Header only, file")]
    public async Task<int> ParseHeaderOnlyFromFile()
    {
        using var file = await DicomReader.ReadFileAsync(_path, HeaderOnly);
        return file.Dataset.Count;
    }

    [Benchmark(Description = "Full, all in memory, file")]
    public async Task<int> ParseFullFromFileInMemory()
    {
        using var file = await DicomReader.ReadFileAsync(_path, AllInMemory);
        return file.Dataset.Count;
    }

    [Benchmark(Description = "Full, bulk by ref (64 KiB), file")]
    public async Task<int> ParseFullFromFileByReference()
    {
        using var file = await DicomReader.ReadFileAsync(_path, DicomReaderOptions.Default);
        return file.Dataset.Count;
    }
}

/// <summary>Adds the throughput columns (MB/s and files/s from the median and the sample's file size).</summary>
internal sealed class ParseBenchmarksConfig : ManualConfig
{
    public ParseBenchmarksConfig()
    {
        AddColumn(new FileThroughputColumn(perMegabyte: true), new FileThroughputColumn(perMegabyte: false));
        WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40));
    }
}

/// <summary>MB/s (whole file bytes / median, MB = 10^6 bytes) or files/s (1 / median).</summary>
internal sealed class FileThroughputColumn(bool perMegabyte) : IColumn
{
    public string Id => perMegabyte ? "Vna.FileMBps" : "Vna.FilesPerSecond";

    public string ColumnName => perMegabyte ? "MB/s" : "files/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => perMegabyte ? 0 : 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => perMegabyte
        ? "Whole file size (10^6 bytes) divided by the median time per operation, also for header-only reads"
        : "Operations per second (1 / median)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (medianNs is not > 0)
        {
            return "-";
        }

        if (!perMegabyte)
        {
            return (1e9 / medianNs.Value).ToString("N0", CultureInfo.InvariantCulture);
        }

        var sample = benchmarkCase.Parameters["Sample"] as string;
        var size = sample is null ? null : BenchSamples.TrySize(sample);
        return size is null ? "?" : (size.Value * 1e3 / medianNs.Value).ToString("N1", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}

/// <summary>
/// Finds the benchmark inputs: the synthetic CT (<c>VNA_BENCH_CT</c>, or generated once with gen-ct.py into
/// <c>$TMPDIR/vna-bench/ct512</c>) and the XA sample (<c>VNA_BENCH_XA</c>, or <c>shared/dicom-samples/multiframe</c> next
/// to an ancestor of the working or program folder; <c>VNA_SHARED</c> names that shared folder explicitly).
/// </summary>
internal static class BenchSamples
{
    public const string Ct = "CT 512x512 16-bit";
    public const string Xa = "XA 96 frames JPEG";

    private const string GenCtRelative = "tools/dicom/gen-ct.py";
    private const string XaRelative = "dicom-samples/multiframe/HasFragmentSequence.dcm";

    public static IEnumerable<string> Available()
    {
        var available = new List<string>();
        if (Environment.GetEnvironmentVariable("VNA_BENCH_CT") is { Length: > 0 } || FindShared(GenCtRelative) is not null
            || Environment.GetEnvironmentVariable("VNA_GEN_CT") is { Length: > 0 } || File.Exists(CachedCtPath))
        {
            available.Add(Ct);
        }

        if (XaPath() is not null)
        {
            available.Add(Xa);
        }

        return available;
    }

    public static string Resolve(string sample) => sample switch
    {
        Ct => EnsureCt(),
        Xa => XaPath() ?? throw new FileNotFoundException($"The XA sample ({XaRelative}) was not found; set VNA_BENCH_XA or VNA_SHARED."),
        _ => throw new ArgumentException($"Unknown sample '{sample}'.", nameof(sample)),
    };

    public static long? TrySize(string sample)
    {
        try
        {
            return new FileInfo(Resolve(sample)).Length;
        }
        catch (IOException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string CachedCtPath => Path.Combine(Path.GetTempPath(), "vna-bench", "ct512", "000000.dcm");

    private static string? XaPath()
    {
        if (Environment.GetEnvironmentVariable("VNA_BENCH_XA") is { Length: > 0 } xa)
        {
            return File.Exists(xa) ? Path.GetFullPath(xa) : null;
        }

        return FindShared(XaRelative);
    }

    private static string EnsureCt()
    {
        if (Environment.GetEnvironmentVariable("VNA_BENCH_CT") is { Length: > 0 } given)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException($"VNA_BENCH_CT names no file: {given}");
        }

        var cached = CachedCtPath;
        if (File.Exists(cached))
        {
            return cached;
        }

        var genCt = Environment.GetEnvironmentVariable("VNA_GEN_CT") is { Length: > 0 } g ? g : FindShared(GenCtRelative);
        if (genCt is null || !File.Exists(genCt))
        {
            throw new FileNotFoundException("gen-ct.py not found: set VNA_BENCH_CT (a CT file) or VNA_GEN_CT, or keep ../shared/tools/dicom/gen-ct.py next to the repository.");
        }

        var folder = Path.GetDirectoryName(cached)!;
        var staging = folder + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { genCt, "--out", staging, "--studies", "1", "--instances", "1", "--rows", "512", "--cols", "512", "--flat", "-q" })
        {
            start.ArgumentList.Add(arg);
        }

        using (var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}."))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"gen-ct.py failed ({process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {stderr.Result}");
            }
        }

        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(cached))
        {
            // Another process generated it meanwhile: same seed, same bytes.
            Directory.Delete(staging, recursive: true);
        }

        return cached;
    }

    private static string? FindShared(string relative)
    {
        if (Environment.GetEnvironmentVariable("VNA_SHARED") is { Length: > 0 } shared)
        {
            var candidate = Path.Combine(shared, relative);
            return File.Exists(candidate) ? Path.GetFullPath(candidate) : null;
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
