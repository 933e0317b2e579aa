namespace Vna.Dicom.Tests;

public sealed class ModelTests
{
    [Theory]
    [InlineData(DicomVR.UI, "1.2.840.10008.1.2.1", true)]
    [InlineData(DicomVR.UI, "1.2.840.01", false)]
    [InlineData(DicomVR.UI, "1..2", false)]
    [InlineData(DicomVR.DA, "20240229", true)]
    [InlineData(DicomVR.DA, "20230229", false)]
    [InlineData(DicomVR.TM, "235959.123456", true)]
    [InlineData(DicomVR.TM, "2460", false)]
    [InlineData(DicomVR.DT, "20240101120000.5+0100", true)]
    [InlineData(DicomVR.IS, "-2147483648", true)]
    [InlineData(DicomVR.IS, "2147483648", false)]
    [InlineData(DicomVR.IS, "1A", false)]
    [InlineData(DicomVR.DS, "-1.5e3", true)]
    [InlineData(DicomVR.DS, "1,5", false)]
    [InlineData(DicomVR.CS, "ORIGINAL", true)]
    [InlineData(DicomVR.CS, "original", false)]
    [InlineData(DicomVR.AS, "045Y", true)]
    [InlineData(DicomVR.AS, "45Y", false)]
    [InlineData(DicomVR.AE, "STORESCP", true)]
    [InlineData(DicomVR.AE, "A_TITLE_LONGER_THAN_16", false)]
    [InlineData(DicomVR.SH, "0123456789abcdefg", false)]
    [InlineData(DicomVR.LT, "line one\r\nline two", true)]
    [InlineData(DicomVR.LO, "tab\there", false)]
    [InlineData(DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう", true)]
    [InlineData(DicomVR.PN, "a=b=c=d", false)]
    public void Values_are_checked_against_their_vr(DicomVR vr, string value, bool valid)
    {
        var problem = DicomValueValidator.CheckValue(vr, value);

        Assert.Equal(valid, problem is null);
    }

    [Fact]
    public void Validation_walks_nested_items_and_reports_the_tag()
    {
        var item = new DicomDataset();
        item.AddOrUpdate(new DicomTag(0x0008, 0x1155), DicomVR.UI, "1.2.03");
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomSequence(new DicomTag(0x0008, 0x1140), [item]));
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x0013), DicomVR.IS, "12");

        var issue = Assert.Single(DicomValueValidator.Validate(dataset));

        Assert.Equal(new DicomTag(0x0008, 0x1155), issue.Tag);
    }

    [Fact]
    public void Person_name_components_and_groups()
    {
        var name = DicomPersonName.Parse("Yamada^Tarou^^Dr.=山田^太郎=やまだ^たろう");

        Assert.Equal("Yamada", name.FamilyName);
        Assert.Equal("Tarou", name.GivenName);
        Assert.Equal("Dr.", name.NamePrefix);
        Assert.Equal("山田", name.GetComponents(1)[0]);
        Assert.Equal("たろう", name.GetComponents(2)[1]);
        Assert.Equal("Yamada^Tarou^^Dr.=山田^太郎=やまだ^たろう", name.ToString());
        Assert.Equal("Doe^John", DicomPersonName.Parse("Doe^John").ToString());
    }

    [Fact]
    public void Dates_times_and_date_times_parse_with_offsets()
    {
        Assert.Equal(new DateOnly(1999, 12, 31), DicomDateTimeParser.ParseDate("19991231"));
        Assert.Equal(new DateOnly(1993, 8, 22), DicomDateTimeParser.ParseDate("1993.08.22"));
        Assert.Equal(new TimeOnly(7, 30, 5, 250), DicomDateTimeParser.ParseTime("073005.25"));
        Assert.Equal(new TimeOnly(7, 30, 0), DicomDateTimeParser.ParseTime("07:30"));
        var dt = DicomDateTimeParser.ParseDateTime("20240315101500.123-0500", TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromHours(-5), dt.Offset);
        Assert.Equal(123, dt.Millisecond);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)), DicomDateTimeParser.ParseDateTime("2024", TimeSpan.FromHours(2)));
        Assert.Throws<DicomDataException>(() => DicomDateTimeParser.ParseDate("2024-01-01"));
    }

    [Fact]
    public void Dataset_keeps_tag_order_and_replaces_values()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, "1.2.3");
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT");
        dataset.AddOrUpdate(new DicomTag(0x0010, 0x0010), "Doe^John");
        dataset.AddOrUpdate(new DicomTag(0x0008, 0x0060), DicomVR.CS, "MR");

        Assert.Equal([new DicomTag(0x0008, 0x0060), new DicomTag(0x0010, 0x0010), new DicomTag(0x0020, 0x000D)], dataset.Select(i => i.Tag));
        Assert.Equal("MR", dataset.GetString(new DicomTag(0x0008, 0x0060)));
        Assert.Equal(DicomVR.PN, dataset[new DicomTag(0x0010, 0x0010)]!.VR);
        Assert.Throws<ArgumentException>(() => dataset.Add(new DicomElement(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT"u8.ToArray())));
        Assert.True(dataset.Remove(new DicomTag(0x0008, 0x0060)));
        Assert.False(dataset.Contains(new DicomTag(0x0008, 0x0060)));
    }

    [Fact]
    public void Sequence_items_inherit_the_character_set_unless_they_declare_their_own()
    {
        var root = new DicomDataset();
        root.AddOrUpdate(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 100");
        var inheriting = new DicomDataset();
        var own = new DicomDataset();
        own.AddOrUpdate(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 192");
        root.AddOrUpdate(new DicomSequence(new DicomTag(0x0040, 0xA730), [inheriting, own]));

        inheriting.AddOrUpdate(new DicomTag(0x0010, 0x0010), "Müller");
        own.AddOrUpdate(new DicomTag(0x0010, 0x0010), "Müller");

        Assert.Equal(new byte[] { (byte)'M', 0xFC, (byte)'l', (byte)'l', (byte)'e', (byte)'r' }, inheriting.GetBytes(new DicomTag(0x0010, 0x0010)));
        Assert.Equal("Müller"u8.ToArray(), own.GetBytes(new DicomTag(0x0010, 0x0010))![..7]);
        Assert.Equal("Müller", inheriting.GetString(new DicomTag(0x0010, 0x0010)));
        Assert.Equal("Müller", own.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public void Numbers_of_every_binary_vr_round_trip_through_typed_accessors()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdateValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512, (ushort)65535);
        dataset.AddOrUpdateValues(new DicomTag(0x0028, 0x0106), DicomVR.SS, (short)-32768);
        dataset.AddOrUpdateValues(new DicomTag(0x0018, 0x6020), DicomVR.SL, -5);
        dataset.AddOrUpdateValues(new DicomTag(0x0018, 0x9219), DicomVR.SV, long.MinValue);
        dataset.AddOrUpdateValues(new DicomTag(0x0008, 0x040C), DicomVR.UV, ulong.MaxValue);
        dataset.AddOrUpdateValues(new DicomTag(0x0018, 0x9087), DicomVR.FD, 2.5);
        dataset.AddOrUpdateValues(new DicomTag(0x0028, 0x1052), DicomVR.FL, 1.5f);
        dataset.AddOrUpdate(new DicomTag(0x0020, 0x0013), DicomVR.IS, "-7");

        Assert.Equal([512, 65535], dataset.GetValues<int>(new DicomTag(0x0028, 0x0010)));
        Assert.Equal((short)-32768, dataset.GetValue<short>(new DicomTag(0x0028, 0x0106)));
        Assert.Equal(-5, dataset.GetValue<int>(new DicomTag(0x0018, 0x6020)));
        Assert.Equal(long.MinValue, dataset.GetValue<long>(new DicomTag(0x0018, 0x9219)));
        Assert.Equal(ulong.MaxValue, dataset.GetValue<ulong>(new DicomTag(0x0008, 0x040C)));
        Assert.Equal(2.5, dataset.GetValue<double>(new DicomTag(0x0018, 0x9087)));
        Assert.Equal(1.5f, dataset.GetValue<float>(new DicomTag(0x0028, 0x1052)));
        Assert.Equal(-7, dataset.GetValue<int>(new DicomTag(0x0020, 0x0013)));
    }

    [Fact]
    public void Tags_parse_from_every_written_form()
    {
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTag.Parse("(0010,0010)"));
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTag.Parse("00100010"));
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTag.Parse("PatientName"));
        Assert.False(DicomTag.TryParse("NotAKeyword", out _));
        Assert.True(new DicomTag(0x0029, 0x1010).IsPrivate);
        Assert.Equal(new DicomTag(0x0029, 0x0010), new DicomTag(0x0029, 0x1010).PrivateCreatorTag);
        Assert.False(new DicomTag(0x0001, 0x0010).IsPrivate);
    }
}
