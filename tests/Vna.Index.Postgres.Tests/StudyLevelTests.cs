using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

public sealed class StudyLevelTests : IndexTestBase
{
    /// <summary>Registers one single-instance study per attribute change and returns their UIDs in order.</summary>
    private async Task<string[]> StudiesAsync(params Func<InstanceAttributes, InstanceAttributes>[] changes)
    {
        var uids = new string[changes.Length];
        var instances = new List<StoredInstance>();
        for (var i = 0; i < changes.Length; i++)
        {
            uids[i] = TestData.Uid();
            instances.Add(TestData.Instance(uids[i], TestData.Uid(), attributes: changes[i]));
        }

        await Store.UpsertInstancesAsync(instances, Ct);
        return uids;
    }

    private async Task<string[]> StudyUidsAsync(params (DicomTag Tag, string Value)[] keys) =>
        ValuesOf(await QueryAsync(QueryLevel.Study, keys), DicomTag.StudyInstanceUID);

    [Fact]
    public async Task Study_date_single_value_ranges_and_open_ranges()
    {
        var s = await StudiesAsync(
            a => a with { StudyDate = "20240110" },
            a => a with { StudyDate = "20240115" },
            a => a with { StudyDate = "20240120" },
            a => a with { StudyDate = "" });

        Assert.Equal([s[1]], await StudyUidsAsync((DicomTag.StudyDate, "20240115")));
        Assert.Equal([s[1]], await StudyUidsAsync((DicomTag.StudyDate, "20240112-20240118")));
        Assert.Equal([s[0], s[1]], await StudyUidsAsync((DicomTag.StudyDate, "-20240115")));
        Assert.Equal([s[1], s[2]], await StudyUidsAsync((DicomTag.StudyDate, "20240115-")));
        Assert.Equal([s[0], s[2]], await StudyUidsAsync((DicomTag.StudyDate, "20240110\\20240120")));
        Assert.Equal(s, await StudyUidsAsync((DicomTag.StudyDate, "")));
        Assert.Equal([s[3]], await StudyUidsAsync((DicomTag.StudyDate, "\"\"")));
        Assert.Equal([s[0]], await StudyUidsAsync((DicomTag.StudyDate, "2024.01.10"))); // ACR-NEMA form
    }

    [Fact]
    public async Task Study_time_ranges_include_everything_within_the_bound_precision()
    {
        var s = await StudiesAsync(
            a => a with { StudyTime = "080000" },
            a => a with { StudyTime = "101500.123" },
            a => a with { StudyTime = "1200" },
            a => a with { StudyTime = "235959.999999" },
            a => a with { StudyTime = "" });

        Assert.Equal([s[1], s[2]], await StudyUidsAsync((DicomTag.StudyTime, "1000-1200")));
        Assert.Equal([s[0], s[1]], await StudyUidsAsync((DicomTag.StudyTime, "-10")));
        Assert.Equal([s[2], s[3]], await StudyUidsAsync((DicomTag.StudyTime, "12-")));
        Assert.Equal([s[1]], await StudyUidsAsync((DicomTag.StudyTime, "1015")));
        Assert.Equal([s[3]], await StudyUidsAsync((DicomTag.StudyTime, "235959.9-")));
        Assert.Equal(5, (await QueryAsync(QueryLevel.Study, (DicomTag.StudyTime, ""))).TotalCount);
    }

    [Fact]
    public async Task Date_and_time_keys_match_separately_without_combined_matching()
    {
        await StudiesAsync(
            a => a with { StudyDate = "20240110", StudyTime = "2300" },
            a => a with { StudyDate = "20240111", StudyTime = "0500" });

        // Separately, "2200-0600" is an empty time range.
        Assert.Empty(await StudyUidsAsync((DicomTag.StudyDate, "20240110-20240111"), (DicomTag.StudyTime, "2200-0600")));
    }

    [Fact]
    public async Task Malformed_date_and_time_keys_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => QueryAsync(QueryLevel.Study, (DicomTag.StudyDate, "2024-01-01-02")));
        await Assert.ThrowsAsync<ArgumentException>(() => QueryAsync(QueryLevel.Study, (DicomTag.StudyDate, "yesterday")));
        await Assert.ThrowsAsync<ArgumentException>(() => QueryAsync(QueryLevel.Study, (DicomTag.StudyTime, "2500-")));
    }

    [Fact]
    public async Task Accession_number_wildcards_escape_sql_pattern_characters()
    {
        var s = await StudiesAsync(
            a => a with { AccessionNumber = "A_1" },
            a => a with { AccessionNumber = "AX1" },
            a => a with { AccessionNumber = "A%2" },
            a => a with { AccessionNumber = "B/1" });

        Assert.Equal([s[0]], await StudyUidsAsync((DicomTag.AccessionNumber, "A_1")));
        Assert.Equal([s[0], s[1]], await StudyUidsAsync((DicomTag.AccessionNumber, "A?1")));
        Assert.Equal([s[2]], await StudyUidsAsync((DicomTag.AccessionNumber, "A%*")));
        Assert.Equal([s[0], s[1], s[2]], await StudyUidsAsync((DicomTag.AccessionNumber, "A*")));
        Assert.Equal([s[3]], await StudyUidsAsync((DicomTag.AccessionNumber, "*/?")));
        Assert.Empty(await StudyUidsAsync((DicomTag.AccessionNumber, "a*")));
    }

    [Fact]
    public async Task Study_description_literal_percent_and_underscore()
    {
        var s = await StudiesAsync(
            a => a with { StudyDescription = "100% done" },
            a => a with { StudyDescription = "100X done" },
            a => a with { StudyDescription = "a_b" },
            a => a with { StudyDescription = "axb" });

        Assert.Equal([s[0]], await StudyUidsAsync((DicomTag.StudyDescription, "100%*")));
        Assert.Equal([s[0], s[1]], await StudyUidsAsync((DicomTag.StudyDescription, "100? done")));
        Assert.Equal([s[2]], await StudyUidsAsync((DicomTag.StudyDescription, "a_b")));
        Assert.Equal([s[2]], await StudyUidsAsync((DicomTag.StudyDescription, "*_*")));
    }

    [Fact]
    public async Task Study_id_and_referring_physician()
    {
        var s = await StudiesAsync(
            a => a with { StudyId = "S1", ReferringPhysicianName = "SMITH^ANNA" },
            a => a with { StudyId = "S2", ReferringPhysicianName = "JONES^BOB" });

        Assert.Equal([s[1]], await StudyUidsAsync((DicomTag.StudyID, "S2")));
        Assert.Equal([s[0]], await StudyUidsAsync((DicomTag.ReferringPhysicianName, "smith*")));
        Assert.Equal([s[1]], await StudyUidsAsync((DicomTag.ReferringPhysicianName, "Jones^Bob")));
    }

    [Fact]
    public async Task Modalities_in_study_match_any_modality_of_the_study()
    {
        var study1 = TestData.Uid();
        var study2 = TestData.Uid();
        var study3 = TestData.Uid();
        await UpsertAsync(
            TestData.Instance(study1, TestData.Uid(), attributes: a => a with { Modality = "CT" }),
            TestData.Instance(study1, TestData.Uid(), attributes: a => a with { Modality = "SR" }),
            TestData.Instance(study2, TestData.Uid(), attributes: a => a with { Modality = "MR" }),
            TestData.Instance(study3, TestData.Uid(), attributes: a => a with { Modality = "CT" }));

        Assert.Equal([study1], await StudyUidsAsync((DicomTag.ModalitiesInStudy, "SR")));
        Assert.Equal([study1, study3], await StudyUidsAsync((DicomTag.ModalitiesInStudy, "CT")));
        Assert.Equal([study1, study2], await StudyUidsAsync((DicomTag.ModalitiesInStudy, "MR\\SR")));
        Assert.Equal([study1, study3], await StudyUidsAsync((DicomTag.ModalitiesInStudy, "C?")));

        var result = await QueryAsync(QueryLevel.Study, (DicomTag.StudyInstanceUID, study1), (DicomTag.ModalitiesInStudy, ""));
        Assert.Equal(["CT", "SR"], Assert.Single(result.Matches).GetStrings(DicomTag.ModalitiesInStudy));
    }

    [Fact]
    public async Task Study_instance_uid_list()
    {
        var s = await StudiesAsync(a => a, a => a, a => a);

        Assert.Equal([s[0], s[2]], await StudyUidsAsync((DicomTag.StudyInstanceUID, $"{s[0]}\\{s[2]}")));
        Assert.Equal([s[1]], await StudyUidsAsync((DicomTag.StudyInstanceUID, s[1])));
        Assert.Empty(await StudyUidsAsync((DicomTag.StudyInstanceUID, "1.2.3")));
    }

    [Fact]
    public async Task Return_keys_come_back_with_values_or_empty()
    {
        var study = TestData.Uid();
        await UpsertAsync(
            TestData.Instance(study, TestData.Uid(), attributes: a => a with { IssuerOfAccessionNumber = "RIS-A" }),
            TestData.Instance(study, TestData.Uid(), attributes: a => a with { Modality = "SR", SopClassUid = "1.2.840.10008.5.1.4.1.1.88.11" }));

        var result = await QueryAsync(
            QueryLevel.Study,
            (DicomTag.StudyDescription, ""),
            (DicomTag.PatientName, ""),
            (new DicomTag(0x0010, 0x1010), ""), // Patient's Age: not held by the index
            (DicomTag.OtherPatientIDsSequence, ""),
            (DicomTag.NumberOfStudyRelatedSeries, ""),
            (DicomTag.NumberOfStudyRelatedInstances, ""),
            (DicomTag.ModalitiesInStudy, ""),
            (DicomTag.SOPClassesInStudy, ""),
            (DicomTag.InstanceAvailability, ""),
            (DicomTag.IssuerOfAccessionNumberSequence, ""),
            (DicomTag.RetrieveAETitle, ""));

        var match = Assert.Single(result.Matches);
        Assert.Empty(result.IgnoredKeys);
        Assert.Equal("STUDY", match.GetString(DicomTag.QueryRetrieveLevel));
        Assert.Equal(study, match.GetString(DicomTag.StudyInstanceUID)); // the unique key, though not asked for
        Assert.Equal("CT CHEST", match.GetString(DicomTag.StudyDescription));
        Assert.Equal("DOE^JOHN", match.GetString(DicomTag.PatientName));
        Assert.Equal(0, match.GetElement(new DicomTag(0x0010, 0x1010))!.Length);
        Assert.Empty(match.GetSequence(DicomTag.OtherPatientIDsSequence)!.Items);
        Assert.Equal(0, match.GetElement(DicomTag.RetrieveAETitle)!.Length);
        Assert.Equal("2", match.GetString(DicomTag.NumberOfStudyRelatedSeries));
        Assert.Equal("2", match.GetString(DicomTag.NumberOfStudyRelatedInstances));
        Assert.Equal(["CT", "SR"], match.GetStrings(DicomTag.ModalitiesInStudy));
        Assert.Equal([TestData.CtImageStorage, "1.2.840.10008.5.1.4.1.1.88.11"], match.GetStrings(DicomTag.SOPClassesInStudy));
        Assert.Equal("ONLINE", match.GetString(DicomTag.InstanceAvailability));
        var issuer = Assert.Single(match.GetSequence(DicomTag.IssuerOfAccessionNumberSequence)!.Items);
        Assert.Equal("RIS-A", issuer.GetString(DicomTag.LocalNamespaceEntityID));
        Assert.False(match.Contains(DicomTag.PatientID)); // Study Root: not a unique key, not asked for
        Assert.False(match.Contains(DicomTag.SpecificCharacterSet));
    }

    [Fact]
    public async Task Keys_the_index_cannot_match_are_ignored_and_reported()
    {
        await StudiesAsync(a => a, a => a with { StudyDescription = "OTHER" });

        var result = await QueryAsync(
            QueryLevel.Study,
            (new DicomTag(0x0010, 0x1010), "045Y"),       // Patient's Age: not held
            (DicomTag.Modality, "MR"),                     // a series key below the query level
            (DicomTag.NumberOfStudyRelatedInstances, "5"), // a count: returned, never matched
            (DicomTag.TimezoneOffsetFromUTC, "+0100"),
            (DicomTag.StudyDescription, "CT*"));

        Assert.Equal(1, result.TotalCount);
        Assert.Equal(
            [DicomTag.Modality, DicomTag.TimezoneOffsetFromUTC, new DicomTag(0x0010, 0x1010), DicomTag.NumberOfStudyRelatedInstances],
            result.IgnoredKeys);
        var match = Assert.Single(result.Matches);
        Assert.Equal("1", match.GetString(DicomTag.NumberOfStudyRelatedInstances));
        Assert.False(match.Contains(DicomTag.Modality));
    }

    [Fact]
    public async Task Issuer_of_accession_number_sequence_is_matched_on_its_local_namespace()
    {
        var s = await StudiesAsync(
            a => a with { AccessionNumber = "ACC7", IssuerOfAccessionNumber = "RIS-A" },
            a => a with { AccessionNumber = "ACC7", IssuerOfAccessionNumber = "RIS-B" });

        var identifier = TestData.Identifier((DicomTag.AccessionNumber, "ACC7"));
        var sequence = new DicomSequence(DicomTag.IssuerOfAccessionNumberSequence);
        identifier.AddOrUpdate(sequence);
        var item = new DicomDataset();
        sequence.Add(item);
        item.AddOrUpdate(DicomTag.LocalNamespaceEntityID, DicomVR.UT, "RIS-B");

        var result = await QueryAsync(new IndexQuery { Level = QueryLevel.Study, Identifier = identifier });

        Assert.Equal([s[1]], ValuesOf(result, DicomTag.StudyInstanceUID));
        Assert.Empty(result.IgnoredKeys);
    }

    [Fact]
    public async Task Instance_availability_follows_placement()
    {
        var online = TestData.Uid();
        var mixed = TestData.Uid();
        await UpsertAsync(
            TestData.Instance(online, TestData.Uid(), tier: StorageTier.Hot),
            TestData.Instance(online, TestData.Uid(), tier: StorageTier.Warm),
            TestData.Instance(mixed, TestData.Uid(), tier: StorageTier.Hot),
            TestData.Instance(mixed, TestData.Uid(), tier: StorageTier.Cold));

        var all = await QueryAsync(QueryLevel.Study, (DicomTag.InstanceAvailability, ""));
        Assert.Equal(["ONLINE", "NEARLINE"], ValuesOf(all, DicomTag.InstanceAvailability));
        Assert.Equal([mixed], await StudyUidsAsync((DicomTag.InstanceAvailability, "NEARLINE")));
        Assert.Equal([online], await StudyUidsAsync((DicomTag.InstanceAvailability, "ONLINE")));
    }

    [Fact]
    public async Task Patient_root_and_study_root()
    {
        var study1 = TestData.Uid();
        var study2 = TestData.Uid();
        await UpsertAsync(TestData.Instance(study1, TestData.Uid()), TestData.Instance(study2, TestData.Uid()));

        // Patient Root, PATIENT level: one match per patient.
        var patients = await QueryAsync(TestData.Query(QueryLevel.Patient, (DicomTag.PatientName, "DOE*")) with { PatientRoot = true });
        var patient = Assert.Single(patients.Matches);
        Assert.Equal("P1", patient.GetString(DicomTag.PatientID));
        Assert.Equal("HOSP", patient.GetString(DicomTag.IssuerOfPatientID));

        // Patient Root, STUDY level: the patient's studies, each with the patient's identity.
        var patientRoot = await QueryAsync(TestData.Query(QueryLevel.Study, (DicomTag.PatientID, "P1")) with { PatientRoot = true });
        Assert.Equal([study1, study2], ValuesOf(patientRoot, DicomTag.StudyInstanceUID));
        Assert.All(patientRoot.Matches, m => Assert.Equal("HOSP", m.GetString(DicomTag.IssuerOfPatientID)));

        // Study Root, STUDY level: the same studies; patient attributes only as asked.
        var studyRoot = await QueryAsync(QueryLevel.Study, (DicomTag.PatientName, "doe^john"));
        Assert.Equal([study1, study2], ValuesOf(studyRoot, DicomTag.StudyInstanceUID));
        Assert.All(studyRoot.Matches, m => Assert.False(m.Contains(DicomTag.PatientID)));
    }
}
