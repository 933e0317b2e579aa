using Vna.Core;
using Vna.Index.Postgres;

namespace Vna.Lifecycle.Tests;

/// <summary>The hash-chained trail as the lifecycle extends it (policy version) and its tamper detection, on PostgreSQL.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task Editing_a_row_or_its_policy_version_is_detected_at_that_row()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct);
        for (var i = 0; i < 5; i++)
        {
            await archive.Audit.WriteAsync(new AuditRecord
            {
                At = LifecycleHarness.Start.AddMinutes(i),
                Actor = "system:lifecycle",
                Action = i % 2 == 0 ? "migrate" : "reject",
                StudyInstanceUid = "1.2.826.0.1." + i,
                Reason = "rule 'default'",
                PolicyVersion = i == 0 ? null : "default@2026.1",
            }, ct);
        }

        Assert.Null(await archive.Audit.VerifyAsync(ct));
        var rows = await archive.Audit.ListAsync(new AuditQuery { Limit = 10 }, ct);
        Assert.Equal(5, rows.Count);
        Assert.Null(rows[0].Record.PolicyVersion);
        Assert.Equal("default@2026.1", rows[3].Record.PolicyVersion);
        Assert.Equal(rows[2].Hash, rows[3].PreviousHash);

        // The table refuses edits; an attacker with the owner's rights switches the guard off first.
        var refused = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() =>
            archive.Database.ScalarAsync<int>("WITH u AS (UPDATE audit_log SET reason = 'x' RETURNING 1) SELECT count(*) FROM u", ct));
        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        await Tamper(archive, $"UPDATE audit_log SET policy_version = 'lenient@1' WHERE id = {rows[3].Id}", ct);
        Assert.Equal(rows[3].Id, await archive.Audit.VerifyAsync(ct));

        await Tamper(archive, $"UPDATE audit_log SET policy_version = 'default@2026.1' WHERE id = {rows[3].Id}", ct);
        Assert.Null(await archive.Audit.VerifyAsync(ct));
        await Tamper(archive, $"DELETE FROM audit_log WHERE id = {rows[1].Id}", ct);
        Assert.Equal(rows[2].Id, await archive.Audit.VerifyAsync(ct));
    }

    private static async Task Tamper(LifecycleHarness archive, string sql, CancellationToken ct)
    {
        await using var connection = await archive.Database.DataSource.OpenConnectionAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(
            $"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; {sql}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;", connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
