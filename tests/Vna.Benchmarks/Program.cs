using BenchmarkDotNet.Running;

namespace Vna.Benchmarks;

/// <summary>
/// Runs the benchmarks of this assembly: <c>dotnet run -c Release --project tests/Vna.Benchmarks -- --filter '*Parse*'</c>
/// (any BenchmarkDotNet option works, e.g. <c>--list flat</c>, <c>--job short</c>, <c>--artifacts DIR</c>).
/// </summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
