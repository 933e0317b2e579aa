using System.Security.Cryptography;
using Npgsql;

namespace Vna.Testing;

/// <summary>
/// A throwaway, empty database (<c>&lt;prefix&gt;_&lt;random&gt;</c>) on the test PostgreSQL server, created through the admin
/// connection and dropped (WITH (FORCE)) on dispose. The server that uses it applies the schema itself.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private TestDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    /// <summary>Connection string to this database (what the server is given).</summary>
    public string ConnectionString { get; }

    /// <summary>For the tests' own queries.</summary>
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync(string adminConnectionString, string prefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(adminConnectionString);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var name = prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var connection = new NpgsqlConnection(adminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await using (create.ConfigureAwait(false))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return new TestDatabase(adminConnectionString, name);
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> (positional parameters $1, $2…).</summary>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var command = DataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            foreach (var parameter in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Every row of <paramref name="sql"/>, each read by <paramref name="read"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var rows = new List<T>();
        var command = DataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(read(reader));
                }
            }
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        await TestPostgres.DropDatabaseAsync(_adminConnectionString, Name).ConfigureAwait(false);
    }
}
