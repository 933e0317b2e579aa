using Orleans.TestingHost;
using Vna.Archive.Grains;
using Vna.Core;

namespace Vna.Archive.Tests;

/// <summary>
/// A study whose state holds only what the index records (counts, bytes, departments, receive times) is registered with
/// one index transaction and no grain state write; its summary is rebuilt from the index when the grain activates again.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StudyGrainStateTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_study_is_registered_without_a_state_write_and_its_summary_survives_reactivation()
    {
        fixture.SkipIfUnavailable();
        var study = Uid();
        var series = Uid();
        var grain = fixture.Cluster.Client.GetGrain<IStudyGrain>(study);

        var first = await grain.RegisterAsync([Instance(study, series, 1000, "radiology")], (int)DuplicatePolicy.Reject);
        var second = await grain.RegisterAsync([Instance(study, Uid(), 500, "cardiology"), Instance(study, series, 250, "radiology")], (int)DuplicatePolicy.Reject);

        Assert.Equal(RegistrationOutcome.Registered, Assert.Single(first).Outcome);
        Assert.All(second, r => Assert.Equal(RegistrationOutcome.Registered, r.Outcome));
        Assert.Equal(3L, await ScalarAsync("SELECT num_instances::bigint FROM study WHERE study_instance_uid = $1", study));
        Assert.Equal(0L, await StateRowsAsync(study));

        var before = await grain.GetSummaryAsync();
        await DeactivateAllAsync(fixture.Cluster);
        var after = await fixture.Cluster.Client.GetGrain<IStudyGrain>(study).GetSummaryAsync();

        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.Equal((3, 2, 1750L), (before.InstanceCount, before.SeriesCount, before.TotalBytes));
        Assert.Equal((before.InstanceCount, before.SeriesCount, before.TotalBytes), (after.InstanceCount, after.SeriesCount, after.TotalBytes));
        Assert.Equal(["cardiology", "radiology"], after.SourceDepartments);
        Assert.Equal((before.FirstReceivedAt, before.LastReceivedAt), (after.FirstReceivedAt, after.LastReceivedAt));

        // A duplicate after reactivation is still recognised from the index.
        var again = await fixture.Cluster.Client.GetGrain<IStudyGrain>(study).RegisterAsync([Instance(study, series, 1000, "radiology", sop: (await FirstSopAsync(study)))], (int)DuplicatePolicy.Reject);
        Assert.Equal(RegistrationOutcome.Duplicate, Assert.Single(again).Outcome);
        Assert.Equal(0L, await StateRowsAsync(study));
    }

    [Fact]
    public async Task An_unknown_study_has_no_summary()
    {
        fixture.SkipIfUnavailable();
        Assert.Null(await fixture.Cluster.Client.GetGrain<IStudyGrain>(Uid()).GetSummaryAsync());
    }

    private static async Task DeactivateAllAsync(TestCluster cluster)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
    }

    private async Task<string> FirstSopAsync(string study)
    {
        await using var command = fixture.Postgres.DataSource.CreateCommand(
            "SELECT i.sop_instance_uid FROM instance i JOIN study s ON s.study_pk = i.study_pk WHERE s.study_instance_uid = $1 ORDER BY i.instance_pk LIMIT 1");
        command.Parameters.AddWithValue(study);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    private async Task<long> StateRowsAsync(string study) =>
        await ScalarAsync("SELECT count(*) FROM orleans_grain_state WHERE service_id = $1 AND grain_id_extension = $2", fixture.ServiceId, study);

    private async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = fixture.Postgres.DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.AddWithValue(p);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Uid() => "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static StoredInstance Instance(string study, string series, long size, string department, string? sop = null)
    {
        sop ??= Uid();
        return new StoredInstance
        {
            Attributes = new InstanceAttributes
            {
                PatientId = "P-" + study[^6..],
                PatientName = "DOE^JANE",
                StudyInstanceUid = study,
                StudyDate = "20240115",
                SeriesInstanceUid = series,
                Modality = "CT",
                SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
                SopInstanceUid = sop,
                InstanceNumber = "1",
            },
            TransferSyntaxUid = "1.2.840.10008.1.2.1",
            Size = size,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(sop))),
            Tier = StorageTier.Hot,
            Location = $"studies/{study}/{series}/{sop}.dcm",
            SourceDepartment = department,
            ReceivedAt = new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero).AddSeconds(size),
        };
    }
}
