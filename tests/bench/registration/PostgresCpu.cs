using System.Globalization;

namespace Vna.Bench.Registration;

/// <summary>
/// CPU time used by the local PostgreSQL server so far: user + system time of every process named <c>postgres</c>, plus
/// the time of their reaped children (so a backend that exits keeps counting, through the postmaster). Linux only; the
/// whole server, so other databases' work on a shared server is counted too.
/// </summary>
internal static class PostgresCpu
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux architecture .NET runs on

    /// <summary>The server's CPU time so far, or null when /proc shows no postgres process.</summary>
    public static TimeSpan? Read()
    {
        if (!Directory.Exists("/proc"))
        {
            return null;
        }

        long ticks = 0;
        var seen = false;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid … : fields after the closing parenthesis, utime is the 12th, stime 13th, cutime 14th, cstime 15th.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || stat.AsSpan(open + 1, close - open - 1) is not "postgres")
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            if (fields.Length < 15)
            {
                continue;
            }

            seen = true;
            for (var f = 11; f <= 14; f++)
            {
                ticks += long.Parse(fields[f], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
        }

        return seen ? TimeSpan.FromSeconds(ticks / TicksPerSecond) : null;
    }
}
