using System.Globalization;

namespace Vna.Integration.Tests;

/// <summary>Writes a test's measured figures to its output (shown by `dotnet test --logger "console;verbosity=detailed"` and in TRX files).</summary>
internal static class Figures
{
    public static void Report(string text)
    {
        var line = $"{DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {text}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }
}
