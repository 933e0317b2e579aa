using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

/// <summary>Each test gets its own database (xUnit creates the class once per test) and a store over it.</summary>
public abstract class IndexTestBase : IAsyncLifetime
{
    private IndexDatabase? _database;
    private PostgresIndexStore? _store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected IndexDatabase Database => _database ?? throw new InvalidOperationException("No database.");

    protected PostgresIndexStore Store => _store ?? throw new InvalidOperationException("No store.");

    public async ValueTask InitializeAsync()
    {
        _database = await IndexDatabase.CreateAsync(Ct);
        _store = new PostgresIndexStore(_database.DataSource, Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected virtual PostgresIndexOptions Options => new();

    protected Task UpsertAsync(params StoredInstance[] instances) => Store.UpsertInstancesAsync(instances, Ct);

    protected Task<IndexQueryResult> QueryAsync(QueryLevel level, params (DicomTag Tag, string Value)[] keys) =>
        Store.QueryAsync(TestData.Query(level, keys), Ct);

    protected Task<IndexQueryResult> QueryAsync(IndexQuery query) => Store.QueryAsync(query, Ct);

    /// <summary>The values of one attribute over every match, in match order.</summary>
    protected static string[] ValuesOf(IndexQueryResult result, DicomTag tag) =>
        result.Matches.Select(m => m.GetString(tag) ?? "(absent)").ToArray();
}
