using System.Globalization;

namespace Vna.Bench.Registration;

/// <summary>The benchmark's command line.</summary>
internal sealed record BenchSettings
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Database=vna;Username=vna;Password=vna";

    public const string Usage = """
        vna-bench-registration — times study registration (IStudyCoordinator.RegisterAsync) through one in-process
        Orleans silo on PostgreSQL, composed like Vna.Server, in a fresh database vna_bench_<random> dropped at the end.

        Options:
          --pg CS              connection string of a database where the role may CREATE DATABASE
                               (default: $VNA_BENCH_PG, else the deploy/local/pg default)
          --concurrency LIST   concurrent callers, each registering one instance per call   (default 1,8,32)
          --sizes LIST         instances per study                                           (default 1,10,100,1000,5000)
          --total N            instances registered per (size, callers) cell                 (default 5000)
          --block N            block length of the per-block cost of a one-study cell        (default 500)
          --series-size N      instances per series                                          (default 250)
          --warmup N           instances registered, untimed, before the first cell          (default 1000)
          --no-one-call        skip the extra cell that sends a whole study in one RegisterAsync call
          --keep-db            do not drop the database at the end
          --out FILE           also write the Markdown report to FILE
        """;

    public string ConnectionString { get; init; } = Environment.GetEnvironmentVariable("VNA_BENCH_PG") is { Length: > 0 } cs ? cs : DefaultConnectionString;

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 8, 32];

    public IReadOnlyList<int> Sizes { get; init; } = [1, 10, 100, 1000, 5000];

    public int Total { get; init; } = 5000;

    public int Block { get; init; } = 500;

    public int SeriesSize { get; init; } = 250;

    public int Warmup { get; init; } = 1000;

    public bool OneCall { get; init; } = true;

    public bool KeepDatabase { get; init; }

    public string? OutputFile { get; init; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            settings = name switch
            {
                "--pg" => settings with { ConnectionString = Value() },
                "--concurrency" => settings with { Concurrency = List(name, Value()) },
                "--sizes" => settings with { Sizes = List(name, Value()) },
                "--total" => settings with { Total = Positive(name, Value()) },
                "--block" => settings with { Block = Positive(name, Value()) },
                "--series-size" => settings with { SeriesSize = Positive(name, Value()) },
                "--warmup" => settings with { Warmup = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--no-one-call" => settings with { OneCall = false },
                "--keep-db" => settings with { KeepDatabase = true },
                "--out" => settings with { OutputFile = Value() },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        foreach (var size in settings.Sizes)
        {
            if (settings.Total % size != 0)
            {
                throw new ArgumentException($"--total {settings.Total} is not a multiple of study size {size}");
            }
        }

        return settings;
    }

    private static int Positive(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name}: '{text}' is not a positive integer");

    private static int[] List(string name, string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => Positive(name, t))];
}
