using Npgsql;

namespace Vna.Index.Postgres;

/// <summary>The archive's <see cref="NpgsqlDataSource"/>, tuned for the statements it sends over and over.</summary>
public static class PostgresDataSources
{
    /// <summary>Statements prepared per connection when the connection string does not say (Npgsql's default is none).</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// A data source on <paramref name="connectionString"/> with automatic preparation on (unless the connection string
    /// sets <c>Max Auto Prepare</c>): the registration batch, the metadata insert and the activation read are the same
    /// few statements thousands of times, and a prepared statement is parsed and planned once per connection instead of on
    /// every execution — less PostgreSQL CPU per stored instance.
    /// <para>Connections go back to the pool without Npgsql's reset (<c>No Reset On Close</c>, unless the connection string
    /// says): the reset is one more round trip and one more transaction before the next statement on the connection,
    /// twice per stored instance, and the archive keeps no session state on pooled connections (its locks are
    /// transaction-scoped; the migrator, the one user of a session lock, releases it before closing).</para>
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 3;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        return builder.Build();
    }
}
