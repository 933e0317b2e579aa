using System.Diagnostics;
using Vna.Testing;

namespace Vna.Tiers.Tests;

/// <summary>The test PostgreSQL server: skipped with the reason where there is none, failed under CI.</summary>
internal static class Postgres
{
    public static async Task<string> RequireAsync()
    {
        var (connectionString, problem) = await TestPostgres.GetAsync();
        if (connectionString is not null)
        {
            return connectionString;
        }

        var message = $"PostgreSQL is not available: {problem} (set VNA_TEST_PG, or run deploy/local/pg start)";
        if (TestPostgres.InCi)
        {
            Assert.Fail("CI=true, so this fails rather than skips: " + message);
        }

        Assert.Skip(message);
        throw new UnreachableException();
    }
}
