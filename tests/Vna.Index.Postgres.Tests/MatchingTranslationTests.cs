using Vna.Core;
using Vna.Dicom;
using Vna.Index.Postgres.Query;

namespace Vna.Index.Postgres.Tests;

/// <summary>The matching rules and their SQL, without a database.</summary>
public sealed class MatchingTranslationTests
{
    [Theory]
    [InlineData("10", "100000.000000", "105959.999999")]
    [InlineData("1030", "103000.000000", "103059.999999")]
    [InlineData("103015", "103015.000000", "103015.999999")]
    [InlineData("103015.5", "103015.500000", "103015.599999")]
    [InlineData("10:30:15", "103015.000000", "103015.999999")]
    [InlineData(" 235959.999999 ", "235959.999999", "235959.999999")]
    public void Time_keys_are_padded_to_their_precision(string value, string low, string high)
    {
        Assert.Equal(low, IndexText.TimeKey(value));
        Assert.Equal(high, IndexText.TimeUpperKey(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("2500")]
    [InlineData("1060")]
    [InlineData("10.5")]
    [InlineData("103015.1234567")]
    [InlineData("ab")]
    public void Values_that_are_not_times_have_no_key(string value) => Assert.Null(IndexText.TimeKey(value));

    [Theory]
    [InlineData("DOE^JOHN", "doe^john")]
    [InlineData("Doe^John^^^", "doe^john")]
    [InlineData("Yamada^Tarou=山田^太郎=やまだ^たろう", "yamada^tarou=山田^太郎=やまだ^たろう")]
    [InlineData("DOE^JOHN==", "doe^john")]
    [InlineData("MÜLLER^JÜRGEN ", "müller^jürgen")]
    [InlineData("", "")]
    public void Person_names_are_normalised_for_case_insensitive_matching(string value, string expected) =>
        Assert.Equal(expected, IndexText.NormalizePersonName(value));

    [Fact]
    public void Person_name_words_hold_every_component()
    {
        Assert.Equal(" doe john a", IndexText.PersonNameWordsColumn("DOE^JOHN^A"));
        Assert.Equal(" van der berg jan", IndexText.PersonNameWordsColumn("van der Berg^Jan"));
    }

    [Theory]
    [InlineData("DOE*", "DOE%")]
    [InlineData("D?E", "D_E")]
    [InlineData("100%_*", "100\\%\\_%")]
    [InlineData("a\\b*", "a\\\\b%")]
    public void Wildcards_become_like_patterns_with_sql_characters_escaped(string value, string pattern) =>
        Assert.Equal(pattern, DicomMatch.ToLikePattern(value));

    [Theory]
    [InlineData("007", "7")]
    [InlineData("+12", "12")]
    [InlineData(" 3 ", "3")]
    [InlineData("x", "x")]
    public void Integer_strings_lose_padding_and_leading_zeros(string value, string expected) =>
        Assert.Equal(expected, IndexText.NormalizeIntegerString(value));

    [Fact]
    public void Values_never_reach_the_sql_text()
    {
        var query = TestData.Query(
            QueryLevel.Study,
            (DicomTag.PatientName, "O'Brien*"),
            (DicomTag.AccessionNumber, "'; DROP TABLE study; --"),
            (DicomTag.StudyDate, "20240101-20240201"));

        var translated = QueryTranslator.Translate(query, new PostgresIndexOptions());

        Assert.DoesNotContain("brien", translated.CountSql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DROP", translated.PageSql, StringComparison.Ordinal);
        Assert.DoesNotContain("2024", translated.PageSql, StringComparison.Ordinal);
        Assert.True(translated.Parameters.Count >= 4);
    }

    [Fact]
    public void Only_the_tables_a_query_needs_are_joined()
    {
        var studyOnly = QueryTranslator.Translate(TestData.Query(QueryLevel.Study, (DicomTag.StudyDate, "20240101")), new PostgresIndexOptions());
        Assert.DoesNotContain("patient", studyOnly.CountSql, StringComparison.Ordinal);
        Assert.DoesNotContain("patient", studyOnly.PageSql, StringComparison.Ordinal);

        var withName = QueryTranslator.Translate(TestData.Query(QueryLevel.Study, (DicomTag.PatientName, "DOE*")), new PostgresIndexOptions());
        Assert.Contains("JOIN patient p", withName.CountSql, StringComparison.Ordinal);

        // Returned but not matched: joined for the page (series for the unique key), not for the count.
        var returnsName = QueryTranslator.Translate(
            TestData.Query(QueryLevel.Image, (DicomTag.SOPClassUID, TestData.CtImageStorage), (DicomTag.PatientName, "")) with { IncludeHidden = true },
            new PostgresIndexOptions());
        Assert.Equal("SELECT count(*) FROM instance i\nWHERE i.sop_class_uid = $1", returnsName.CountSql);
        Assert.Contains("JOIN patient p", returnsName.PageSql, StringComparison.Ordinal);
        Assert.Contains("JOIN series se", returnsName.PageSql, StringComparison.Ordinal);
    }
}
