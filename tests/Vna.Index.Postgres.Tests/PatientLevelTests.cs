using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

public sealed class PatientLevelTests : IndexTestBase
{
    private static IndexQuery PatientQuery(params (DicomTag Tag, string Value)[] keys) =>
        TestData.Query(QueryLevel.Patient, keys) with { PatientRoot = true };

    private async Task SeedAsync()
    {
        await UpsertAsync(
            TestData.Instance(TestData.Uid(), TestData.Uid(), attributes: a => a with
            {
                PatientId = "P1", IssuerOfPatientId = "HOSP", PatientName = "DOE^JOHN", PatientBirthDate = "19700101", PatientSex = "M",
            }),
            TestData.Instance(TestData.Uid(), TestData.Uid(), attributes: a => a with
            {
                PatientId = "P1", IssuerOfPatientId = "CLINIC", PatientName = "DOE^JANE", PatientBirthDate = "19800202", PatientSex = "F",
            }),
            TestData.Instance(TestData.Uid(), TestData.Uid(), attributes: a => a with
            {
                PatientId = "AB_1", IssuerOfPatientId = "HOSP", PatientName = "Müller^Jürgen", PatientBirthDate = "19900303", PatientSex = "M",
            }),
            TestData.Instance(TestData.Uid(), TestData.Uid(), attributes: a => a with
            {
                PatientId = "ABX1", IssuerOfPatientId = "HOSP", PatientName = "ROE^RICHARD^^^", PatientBirthDate = "", PatientSex = "O",
            }));
    }

    [Fact]
    public async Task Person_names_match_case_insensitively_with_wildcards()
    {
        await SeedAsync();

        Assert.Equal(2, (await QueryAsync(PatientQuery((DicomTag.PatientName, "doe*")))).TotalCount);
        Assert.Equal(["DOE^JOHN"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientName, "*john"))), DicomTag.PatientName));
        Assert.Equal(["DOE^JANE"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientName, "d?E^J?nE"))), DicomTag.PatientName));
        Assert.Equal(["DOE^JOHN"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientName, "doe^john"))), DicomTag.PatientName));

        // Trailing empty components are not significant; a partial name is not a single-value match.
        Assert.Equal(["ROE^RICHARD^^^"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientName, "roe^richard"))), DicomTag.PatientName));
        Assert.Equal(0, (await QueryAsync(PatientQuery((DicomTag.PatientName, "doe")))).TotalCount);
    }

    [Fact]
    public async Task Fuzzy_matching_matches_the_start_of_any_name_component()
    {
        await SeedAsync();

        var fuzzy = PatientQuery((DicomTag.PatientName, "jo")) with { FuzzyMatching = true };
        Assert.Equal(["DOE^JOHN"], ValuesOf(await QueryAsync(fuzzy), DicomTag.PatientName));

        var twoWords = PatientQuery((DicomTag.PatientName, "ja do")) with { FuzzyMatching = true };
        Assert.Equal(["DOE^JANE"], ValuesOf(await QueryAsync(twoWords), DicomTag.PatientName));

        Assert.Equal(0, (await QueryAsync(PatientQuery((DicomTag.PatientName, "jo")))).TotalCount);
    }

    [Fact]
    public async Task Same_patient_id_with_two_issuers_is_two_patients()
    {
        await SeedAsync();

        var both = await QueryAsync(PatientQuery((DicomTag.PatientID, "P1"), (DicomTag.PatientName, "")));
        Assert.Equal(2, both.TotalCount);
        // A batch registers its patients in (Patient ID, Issuer) order.
        Assert.Equal(["CLINIC", "HOSP"], ValuesOf(both, DicomTag.IssuerOfPatientID));
        Assert.Equal(["DOE^JANE", "DOE^JOHN"], ValuesOf(both, DicomTag.PatientName));

        var one = await QueryAsync(PatientQuery((DicomTag.PatientID, "P1"), (DicomTag.IssuerOfPatientID, "CLINIC"), (DicomTag.PatientName, "")));
        Assert.Equal(["DOE^JANE"], ValuesOf(one, DicomTag.PatientName));

        // At study level too: the issuer picks the patient's studies.
        var studies = await QueryAsync(QueryLevel.Study, (DicomTag.PatientID, "P1"), (DicomTag.IssuerOfPatientID, "HOSP"), (DicomTag.PatientName, ""));
        Assert.Equal(["DOE^JOHN"], ValuesOf(studies, DicomTag.PatientName));
    }

    [Fact]
    public async Task Question_mark_matches_one_character_and_underscore_is_literal()
    {
        await SeedAsync();

        Assert.Equal(["ABX1", "AB_1"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientID, "AB?1"))), DicomTag.PatientID));
        Assert.Equal(["AB_1"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientID, "AB_1"))), DicomTag.PatientID));
        Assert.Equal(["AB_1"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientID, "AB_*"))), DicomTag.PatientID));
        Assert.Equal(0, (await QueryAsync(PatientQuery((DicomTag.PatientID, "ab?1")))).TotalCount); // LO is case-sensitive
    }

    [Fact]
    public async Task Birth_date_single_value_and_ranges()
    {
        await SeedAsync();

        Assert.Equal(["19800202"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientBirthDate, "19800202"))), DicomTag.PatientBirthDate));
        Assert.Equal(2, (await QueryAsync(PatientQuery((DicomTag.PatientBirthDate, "19700101-19800202")))).TotalCount);
        Assert.Equal(["19700101"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientBirthDate, "-19750101"))), DicomTag.PatientBirthDate));
        Assert.Equal(["19900303"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientBirthDate, "19850101-"))), DicomTag.PatientBirthDate));

        // Universal matching includes the patient without a birth date; empty value matching finds only it.
        Assert.Equal(4, (await QueryAsync(PatientQuery((DicomTag.PatientBirthDate, "")))).TotalCount);
        Assert.Equal(["ABX1"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientBirthDate, "\"\""))), DicomTag.PatientID));
    }

    [Fact]
    public async Task Code_strings_match_single_and_several_values()
    {
        await SeedAsync();

        Assert.Equal(["DOE^JANE"], ValuesOf(await QueryAsync(PatientQuery((DicomTag.PatientSex, "F"), (DicomTag.PatientName, ""))), DicomTag.PatientName));
        Assert.Equal(2, (await QueryAsync(PatientQuery((DicomTag.PatientSex, "F\\O")))).TotalCount);
        Assert.Equal(4, (await QueryAsync(PatientQuery((DicomTag.PatientSex, "*")))).TotalCount);
    }

    [Fact]
    public async Task Non_ascii_names_match_and_come_back_in_utf8()
    {
        await SeedAsync();
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        identifier.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "MÜLLER*");

        var result = await QueryAsync(new IndexQuery { Level = QueryLevel.Patient, PatientRoot = true, Identifier = identifier });

        var match = Assert.Single(result.Matches);
        Assert.Equal("ISO_IR 192", match.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal("Müller^Jürgen", match.GetString(DicomTag.PatientName));

        var ascii = Assert.Single((await QueryAsync(PatientQuery((DicomTag.PatientName, "doe^john")))).Matches);
        Assert.False(ascii.Contains(DicomTag.SpecificCharacterSet));
    }

    [Fact]
    public async Task Patient_level_counts_and_ignored_study_keys()
    {
        var study1 = TestData.Uid();
        var study2 = TestData.Uid();
        var seriesA = TestData.Uid();
        await UpsertAsync(
            TestData.Instance(study1, seriesA),
            TestData.Instance(study1, seriesA),
            TestData.Instance(study1, TestData.Uid()),
            TestData.Instance(study2, TestData.Uid()),
            TestData.Instance(study2, TestData.Uid()));

        var result = await QueryAsync(PatientQuery(
            (DicomTag.PatientID, "P1"),
            (DicomTag.NumberOfPatientRelatedStudies, ""),
            (DicomTag.NumberOfPatientRelatedSeries, ""),
            (DicomTag.NumberOfPatientRelatedInstances, ""),
            (DicomTag.StudyDate, "19000101")));

        var match = Assert.Single(result.Matches);
        Assert.Equal("PATIENT", match.GetString(DicomTag.QueryRetrieveLevel));
        Assert.Equal("2", match.GetString(DicomTag.NumberOfPatientRelatedStudies));
        Assert.Equal("4", match.GetString(DicomTag.NumberOfPatientRelatedSeries));
        Assert.Equal("5", match.GetString(DicomTag.NumberOfPatientRelatedInstances));
        Assert.Contains(DicomTag.StudyDate, result.IgnoredKeys);
        Assert.False(match.Contains(DicomTag.StudyDate));
    }
}
