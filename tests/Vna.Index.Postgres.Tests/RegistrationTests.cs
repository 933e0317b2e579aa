using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

public sealed class RegistrationTests : IndexTestBase
{
    private async Task<(string Series, string Instances, string[] Modalities)> StudyCountsAsync(string study, bool includeHidden = false)
    {
        var result = await QueryAsync(TestData.Query(
            QueryLevel.Study,
            (DicomTag.StudyInstanceUID, study),
            (DicomTag.NumberOfStudyRelatedSeries, ""),
            (DicomTag.NumberOfStudyRelatedInstances, ""),
            (DicomTag.ModalitiesInStudy, "")) with { IncludeHidden = includeHidden });
        var match = Assert.Single(result.Matches);
        return (match.GetString(DicomTag.NumberOfStudyRelatedSeries)!, match.GetString(DicomTag.NumberOfStudyRelatedInstances)!,
            match.GetStrings(DicomTag.ModalitiesInStudy));
    }

    private async Task<string[]> SeriesCountsAsync(string study) =>
        ValuesOf(
            await QueryAsync(QueryLevel.Series, (DicomTag.StudyInstanceUID, study), (DicomTag.NumberOfSeriesRelatedInstances, "")),
            DicomTag.NumberOfSeriesRelatedInstances);

    [Fact]
    public async Task Counts_and_modalities_are_right_after_several_batches()
    {
        var study = TestData.Uid();
        var (a, b, c) = (TestData.Uid(), TestData.Uid(), TestData.Uid());
        await UpsertAsync(TestData.Instance(study, a), TestData.Instance(study, a), TestData.Instance(study, a));
        await UpsertAsync(
            TestData.Instance(study, a), TestData.Instance(study, a),
            TestData.Instance(study, b, attributes: x => x with { Modality = "SR" }),
            TestData.Instance(study, b, attributes: x => x with { Modality = "SR" }));
        await UpsertAsync(TestData.Instance(study, c, attributes: x => x with { Modality = "PR" }));

        Assert.Equal(("3", "8", ["CT", "PR", "SR"]), await StudyCountsAsync(study), TupleComparer.Instance);
        Assert.Equal(["5", "2", "1"], await SeriesCountsAsync(study));
        Assert.Equal(8, (await Store.GetStudyInstancesAsync(study, Ct)).Count);
        Assert.Equal(8000L, await Database.ScalarAsync("SELECT total_bytes FROM study WHERE study_instance_uid = $1", Ct, study));
    }

    [Fact]
    public async Task A_batch_sent_again_does_not_change_the_counts()
    {
        var study = TestData.Uid();
        var series = TestData.Uid();
        var batch = Enumerable.Range(0, 10).Select(_ => TestData.Instance(study, series)).ToArray();

        await UpsertAsync(batch);
        await UpsertAsync(batch);
        await UpsertAsync(batch[..5]);

        Assert.Equal(("1", "10", ["CT"]), await StudyCountsAsync(study), TupleComparer.Instance);
        Assert.Equal(["10"], await SeriesCountsAsync(study));
        Assert.Equal(10L, await Database.ScalarAsync("SELECT count(*) FROM instance", Ct));
        Assert.Equal(1L, await Database.ScalarAsync("SELECT count(*) FROM patient", Ct));
    }

    [Fact]
    public async Task An_instance_repeated_within_a_batch_counts_once_and_the_last_copy_wins()
    {
        var study = TestData.Uid();
        var series = TestData.Uid();
        var sop = TestData.Uid();
        var first = TestData.Instance(study, series, sop, size: 10);
        var last = TestData.Instance(study, series, sop, size: 20) with { Location = "second/copy.dcm" };

        await UpsertAsync(first, last, TestData.Instance(study, series));

        Assert.Equal(("1", "2", ["CT"]), await StudyCountsAsync(study), TupleComparer.Instance);
        var stored = await Store.FindInstanceAsync(sop, Ct);
        Assert.Equal("second/copy.dcm", stored!.Location);
        Assert.Equal(20, stored.Size);
    }

    [Fact]
    public async Task A_placement_change_is_reflected_without_changing_the_counts()
    {
        var study = TestData.Uid();
        var series = TestData.Uid();
        var sop = TestData.Uid();
        var hot = TestData.Instance(study, series, sop, size: 1000);
        await UpsertAsync(hot, TestData.Instance(study, series, size: 500));

        var cold = hot with { Tier = StorageTier.Cold, Location = $"bundles/{study}.lz4#{sop}", Size = 700, Sha256 = new string('a', 64) };
        await UpsertAsync(cold);

        var stored = await Store.FindInstanceAsync(sop, Ct);
        Assert.NotNull(stored);
        Assert.Equal(StorageTier.Cold, stored.Tier);
        Assert.Equal(cold.Location, stored.Location);
        Assert.Equal(700, stored.Size);
        Assert.Equal(cold.Sha256, stored.Sha256);
        Assert.Equal(("1", "2", ["CT"]), await StudyCountsAsync(study), TupleComparer.Instance);
        Assert.Equal(1200L, await Database.ScalarAsync("SELECT total_bytes FROM study", Ct));

        var image = await QueryAsync(QueryLevel.Image, (DicomTag.SOPInstanceUID, sop), (DicomTag.InstanceAvailability, ""));
        Assert.Equal(["NEARLINE"], ValuesOf(image, DicomTag.InstanceAvailability));
        var studyLevel = await QueryAsync(QueryLevel.Study, (DicomTag.InstanceAvailability, ""));
        Assert.Equal(["NEARLINE"], ValuesOf(studyLevel, DicomTag.InstanceAvailability));

        // Back to warm: online again.
        await UpsertAsync(cold with { Tier = StorageTier.Warm, Location = $"s3/{sop}" });
        studyLevel = await QueryAsync(QueryLevel.Study, (DicomTag.InstanceAvailability, ""));
        Assert.Equal(["ONLINE"], ValuesOf(studyLevel, DicomTag.InstanceAvailability));
    }

    [Fact]
    public async Task An_instance_sent_again_in_another_series_moves_its_count()
    {
        var study = TestData.Uid();
        var (a, b) = (TestData.Uid(), TestData.Uid());
        var sop = TestData.Uid();
        await UpsertAsync(TestData.Instance(study, a, sop), TestData.Instance(study, a));

        await UpsertAsync(TestData.Instance(study, b, sop, a => a with { Modality = "MR" }));

        Assert.Equal(["1", "1"], await SeriesCountsAsync(study));
        Assert.Equal(("2", "2", ["CT", "MR"]), await StudyCountsAsync(study), TupleComparer.Instance);
        Assert.Equal(b, (await Store.FindInstanceAsync(sop, Ct))!.SeriesInstanceUid);
    }

    [Fact]
    public async Task Rejected_studies_are_hidden_unless_the_query_includes_hidden_ones()
    {
        var kept = TestData.Uid();
        var rejected = TestData.Uid();
        var loneStudy = TestData.Uid();
        await UpsertAsync(
            TestData.Instance(kept, TestData.Uid()),
            TestData.Instance(rejected, TestData.Uid()),
            TestData.Instance(rejected, TestData.Uid()),
            TestData.Instance(loneStudy, TestData.Uid(), attributes: a => a with { PatientId = "LONE" }));

        Assert.True(await Store.SetStudyLifecycleStateAsync(rejected, StudyLifecycleState.Rejected, Ct));
        Assert.True(await Store.SetStudyLifecycleStateAsync(loneStudy, StudyLifecycleState.Purged, Ct));
        Assert.False(await Store.SetStudyLifecycleStateAsync("1.2.3.4", StudyLifecycleState.Rejected, Ct));

        Assert.Equal([kept], ValuesOf(await QueryAsync(QueryLevel.Study), DicomTag.StudyInstanceUID));
        Assert.Equal(1, (await QueryAsync(QueryLevel.Series)).TotalCount);
        Assert.Equal(1, (await QueryAsync(QueryLevel.Image)).TotalCount);
        Assert.Empty((await QueryAsync(QueryLevel.Study, (DicomTag.StudyInstanceUID, rejected))).Matches);

        var patients = await QueryAsync(QueryLevel.Patient, (DicomTag.NumberOfPatientRelatedStudies, ""), (DicomTag.NumberOfPatientRelatedInstances, ""));
        var patient = Assert.Single(patients.Matches);
        Assert.Equal("P1", patient.GetString(DicomTag.PatientID));
        Assert.Equal("1", patient.GetString(DicomTag.NumberOfPatientRelatedStudies));
        Assert.Equal("1", patient.GetString(DicomTag.NumberOfPatientRelatedInstances));

        var hidden = await QueryAsync(new IndexQuery { Level = QueryLevel.Study, Identifier = new DicomDataset(), IncludeHidden = true });
        Assert.Equal([kept, rejected, loneStudy], ValuesOf(hidden, DicomTag.StudyInstanceUID));
        Assert.Equal(2, (await QueryAsync(new IndexQuery { Level = QueryLevel.Patient, Identifier = new DicomDataset(), IncludeHidden = true })).TotalCount);

        // The coordinator still sees every instance, and new registrations leave the state alone.
        Assert.Equal(2, (await Store.GetStudyInstancesAsync(rejected, Ct)).Count);
        await UpsertAsync(TestData.Instance(rejected, TestData.Uid()));
        Assert.Empty((await QueryAsync(QueryLevel.Study, (DicomTag.StudyInstanceUID, rejected))).Matches);

        Assert.True(await Store.SetStudyLifecycleStateAsync(rejected, StudyLifecycleState.Active, Ct));
        Assert.Equal(("3", "3", ["CT"]), await StudyCountsAsync(rejected), TupleComparer.Instance);
    }

    [Fact]
    public async Task Study_instances_and_single_instances_round_trip()
    {
        var study = TestData.Uid();
        var series = TestData.Uid();
        var instances = new[]
        {
            TestData.Instance(study, series, attributes: a => a with { SpecificCharacterSet = "ISO_IR 192", InstanceNumber = "7" }, department: "cardio"),
            TestData.Instance(study, series, tier: StorageTier.Warm, size: 123_456_789_012),
        };
        await UpsertAsync(instances);

        var stored = await Store.GetStudyInstancesAsync(study, Ct);

        Assert.Equal(instances, stored);
        Assert.Equal(instances[1], await Store.FindInstanceAsync(instances[1].SopInstanceUid, Ct));
        Assert.Null(await Store.FindInstanceAsync("1.2.3", Ct));
        Assert.Empty(await Store.GetStudyInstancesAsync("1.2.3", Ct));
        Assert.Equal(
            ["cardio", "radiology"],
            (string[])(await Database.ScalarAsync("SELECT source_departments FROM study", Ct))!);
    }

    [Fact]
    public async Task Study_attributes_merge_non_empty_values()
    {
        var study = TestData.Uid();
        await UpsertAsync(TestData.Instance(study, TestData.Uid(), attributes: a => a with { StudyDescription = "FIRST", AccessionNumber = "A1" }));
        await UpsertAsync(TestData.Instance(study, TestData.Uid(), attributes: a => a with { StudyDescription = "", AccessionNumber = "A2" }));

        var match = Assert.Single((await QueryAsync(QueryLevel.Study, (DicomTag.StudyDescription, ""), (DicomTag.AccessionNumber, ""))).Matches);
        Assert.Equal("FIRST", match.GetString(DicomTag.StudyDescription));
        Assert.Equal("A2", match.GetString(DicomTag.AccessionNumber));
    }

    [Fact]
    public async Task Each_study_attribute_a_later_batch_changes_is_merged()
    {
        var study = TestData.Uid();
        var series = TestData.Uid();
        await UpsertAsync(TestData.Instance(study, series));
        await UpsertAsync(TestData.Instance(study, series)); // the same attributes again: the row keeps them

        // Each later batch changes one more value (and repeats the earlier changes: the last non-empty value wins).
        Func<InstanceAttributes, InstanceAttributes>[] changes =
        [
            a => a with { StudyDate = "20240116" },
            a => a with { StudyTime = "111500" },
            a => a with { StudyId = "S2" },
            a => a with { ReferringPhysicianName = "JONES^BOB" },
            a => a with { SopClassUid = TestData.MrImageStorage },
        ];
        string[] expected =
        [
            "20240116|101500|S1|SMITH^ANNA|{1.2.840.10008.5.1.4.1.1.2}",
            "20240116|111500|S1|SMITH^ANNA|{1.2.840.10008.5.1.4.1.1.2}",
            "20240116|111500|S2|SMITH^ANNA|{1.2.840.10008.5.1.4.1.1.2}",
            "20240116|111500|S2|JONES^BOB|{1.2.840.10008.5.1.4.1.1.2}",
            "20240116|111500|S2|JONES^BOB|{1.2.840.10008.5.1.4.1.1.2,1.2.840.10008.5.1.4.1.1.4}",
        ];
        for (var n = 1; n <= changes.Length; n++)
        {
            var upTo = n;
            await UpsertAsync(TestData.Instance(study, series, attributes: a => changes.Take(upTo).Aggregate(a, (x, change) => change(x))));
            Assert.Equal(
                expected[n - 1],
                await Database.ScalarAsync(
                    "SELECT concat_ws('|', study_date, study_time, study_id, referring_physician_name, sop_classes_in_study::text) FROM study WHERE study_instance_uid = $1",
                    Ct,
                    study));
        }

        await UpsertAsync(TestData.Instance(study, series, department: "cardiology", attributes: a => a with { StudyDate = "", StudyTime = "", StudyId = "", ReferringPhysicianName = "" }));

        var match = Assert.Single((await QueryAsync(
            QueryLevel.Study,
            (DicomTag.StudyInstanceUID, study),
            (DicomTag.StudyDate, ""),
            (DicomTag.StudyTime, ""),
            (DicomTag.StudyID, ""),
            (DicomTag.ReferringPhysicianName, ""),
            (DicomTag.StudyDescription, ""),
            (DicomTag.NumberOfStudyRelatedInstances, ""))).Matches);
        Assert.Equal("20240116", match.GetString(DicomTag.StudyDate));
        Assert.Equal("111500", match.GetString(DicomTag.StudyTime));
        Assert.Equal("S2", match.GetString(DicomTag.StudyID));
        Assert.Equal("JONES^BOB", match.GetString(DicomTag.ReferringPhysicianName));
        Assert.Equal("CT CHEST", match.GetString(DicomTag.StudyDescription));
        Assert.Equal("8", match.GetString(DicomTag.NumberOfStudyRelatedInstances));
        Assert.Equal(
            [TestData.CtImageStorage, TestData.MrImageStorage],
            (string[])(await Database.ScalarAsync("SELECT sop_classes_in_study FROM study WHERE study_instance_uid = $1", Ct, study))!);
        Assert.Equal(
            ["cardiology", "radiology"],
            (string[])(await Database.ScalarAsync("SELECT source_departments FROM study WHERE study_instance_uid = $1", Ct, study))!);
    }

    [Fact]
    public async Task A_study_s_receive_times_span_every_batch_including_instances_sent_again()
    {
        var study = TestData.Uid();
        var series = TestData.Uid();
        var t0 = new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);
        var again = TestData.Instance(study, series) with { ReceivedAt = t0.AddMinutes(5) };
        await UpsertAsync(again);
        await UpsertAsync(TestData.Instance(study, series) with { ReceivedAt = t0 });
        await UpsertAsync(TestData.Instance(study, series) with { ReceivedAt = t0.AddMinutes(3) });
        Assert.Equal(
            (t0.UtcDateTime, t0.AddMinutes(5).UtcDateTime),
            await ReceiveTimesAsync(study));

        // The same instance sent again later: the counts stay, the last receive time moves.
        await UpsertAsync(again with { ReceivedAt = t0.AddMinutes(9) });
        Assert.Equal((t0.UtcDateTime, t0.AddMinutes(9).UtcDateTime), await ReceiveTimesAsync(study));
        Assert.Equal(("1", "3", ["CT"]), await StudyCountsAsync(study), TupleComparer.Instance);
    }

    [Fact]
    public async Task An_instance_s_metadata_document_is_written_in_the_transaction_that_indexes_it()
    {
        var study = TestData.Uid();
        var series = TestData.Uid();
        var withDocument = TestData.Instance(study, series) with
        {
            Document = new InstanceDocument { Json = "{\"00080018\":{\"vr\":\"UI\"}}"u8.ToArray(), Rows = 512, Columns = 256, BitsAllocated = 16 },
        };
        var without = TestData.Instance(study, series);

        await UpsertAsync(withDocument, without);

        Assert.Equal(1L, await Database.ScalarAsync("SELECT count(*) FROM web_instance_metadata WHERE study_instance_uid = $1", Ct, study));
        Assert.Equal(
            withDocument.Document.Json,
            (byte[])(await Database.ScalarAsync("SELECT metadata FROM web_instance_metadata WHERE sop_instance_uid = $1", Ct, withDocument.SopInstanceUid))!);
        Assert.Equal(
            $"{withDocument.Sha256}|{series}|512|256|16|",
            await Database.ScalarAsync(
                "SELECT concat_ws('|', sha256, series_instance_uid, rows, columns, bits_allocated, coalesce(number_of_frames::text, '')) FROM web_instance_metadata WHERE sop_instance_uid = $1",
                Ct,
                withDocument.SopInstanceUid));

        // A replaced copy replaces its document.
        var replaced = withDocument with { Sha256 = new string('a', 64), Document = withDocument.Document with { Rows = 1024 } };
        await UpsertAsync(replaced);
        Assert.Equal(
            $"{new string('a', 64)}|1024",
            await Database.ScalarAsync("SELECT sha256 || '|' || rows FROM web_instance_metadata WHERE sop_instance_uid = $1", Ct, withDocument.SopInstanceUid));
    }

    private async Task<(DateTime First, DateTime Last)> ReceiveTimesAsync(string study)
    {
        var first = (DateTime)(await Database.ScalarAsync("SELECT first_received_at FROM study WHERE study_instance_uid = $1", Ct, study))!;
        var last = (DateTime)(await Database.ScalarAsync("SELECT last_received_at FROM study WHERE study_instance_uid = $1", Ct, study))!;
        return (first, last);
    }

    [Fact]
    public async Task Batches_are_validated_before_anything_is_written()
    {
        var study = TestData.Uid();
        var bad = TestData.Instance(study, TestData.Uid()) with { Sha256 = "" };

        await Assert.ThrowsAsync<ArgumentException>(() => UpsertAsync(TestData.Instance(study, TestData.Uid()), bad));
        await UpsertAsync();

        Assert.Equal(0L, await Database.ScalarAsync("SELECT count(*) FROM study", Ct));
    }

    /// <summary>Compares (series, instances, modalities) tuples by value (arrays by their elements).</summary>
    private sealed class TupleComparer : IEqualityComparer<(string, string, string[])>
    {
        public static TupleComparer Instance { get; } = new();

        public bool Equals((string, string, string[]) x, (string, string, string[]) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.SequenceEqual(y.Item3);

        public int GetHashCode((string, string, string[]) obj) => HashCode.Combine(obj.Item1, obj.Item2);
    }
}
