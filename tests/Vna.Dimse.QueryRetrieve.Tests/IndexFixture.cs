using Vna.Index.Postgres;
using Vna.Index.Postgres.Migrations;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests;

/// <summary>
/// A throwaway PostgreSQL database with the archive's schema and an index store over it, one per test class instance.
/// Skips the test when PostgreSQL cannot be reached, except under CI=true, where it fails.
/// </summary>
public abstract class IndexFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private PostgresIndexStore? _store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected PostgresIndexStore Index => _store ?? throw new InvalidOperationException("No index.");

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("No database.");

    public virtual async ValueTask InitializeAsync()
    {
        var (admin, problem) = await TestPostgres.GetAsync();
        if (admin is null)
        {
            var message = $"PostgreSQL is not available: {problem}";
            if (TestPostgres.InCi)
            {
                Assert.Fail(message + " (CI=true: failing instead of skipping)");
            }

            Assert.Skip(message);
        }

        _database = await TestDatabase.CreateAsync(admin, "vna_qr", Ct);
        await new PostgresMigrator(_database.DataSource).MigrateAsync(Ct);
        _store = new PostgresIndexStore(_database.DataSource, Options);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected virtual PostgresIndexOptions Options => new();
}
