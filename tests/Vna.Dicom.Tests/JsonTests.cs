using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vna.Dicom.Tests;

/// <summary>
/// The DICOM JSON Model (PS3.18 Annex F): structure of the output (parsed back with System.Text.Json), round trips in both
/// directions, character sets, the documented choices (IS/DS, SV/UV, NaN, encapsulated pixel data, BulkDataURI), errors,
/// and a cross-check with pydicom 2.3.1's <c>Dataset.from_json</c> / <c>to_json</c>.
/// </summary>
public sealed class JsonTests
{
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);
    private static readonly DicomTag ImageType = new(0x0008, 0x0008);
    private static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    private static readonly DicomTag StudyTime = new(0x0008, 0x0030);
    private static readonly DicomTag AccessionNumber = new(0x0008, 0x0050);
    private static readonly DicomTag ModalitiesInStudy = new(0x0008, 0x0061);
    private static readonly DicomTag ReferringPhysicianName = new(0x0008, 0x0090);
    private static readonly DicomTag InstitutionName = new(0x0008, 0x0080);
    private static readonly DicomTag StudyDescription = new(0x0008, 0x1030);
    private static readonly DicomTag PrivateCreator = new(0x0009, 0x0010);
    private static readonly DicomTag PrivateText = new(0x0009, 0x1001);
    private static readonly DicomTag PrivateUnknown = new(0x0009, 0x1002);
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);
    private static readonly DicomTag IssuerOfPatientId = new(0x0010, 0x0021);
    private static readonly DicomTag TypeOfPatientId = new(0x0010, 0x0022);
    private static readonly DicomTag PatientBirthDate = new(0x0010, 0x0030);
    private static readonly DicomTag PatientSex = new(0x0010, 0x0040);
    private static readonly DicomTag OtherPatientIdsSequence = new(0x0010, 0x1002);
    private static readonly DicomTag PatientComments = new(0x0010, 0x4000);
    private static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);
    private static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);
    private static readonly DicomTag NumberOfStudyRelatedSeries = new(0x0020, 0x1206);
    private static readonly DicomTag NumberOfStudyRelatedInstances = new(0x0020, 0x1208);
    private static readonly DicomTag FrameIncrementPointer = new(0x0028, 0x0009);
    private static readonly DicomTag Rows = new(0x0028, 0x0010);
    private static readonly DicomTag PixelSpacing = new(0x0028, 0x0030);
    private static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);
    private static readonly DicomTag RealWorldValueSlope = new(0x0040, 0x9225);
    private static readonly DicomTag EncapsulatedDocument = new(0x0042, 0x0011);
    private static readonly DicomTag ExtendedOffsetTable = new(0x7FE0, 0x0001);
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    // ----------------------------------------------------------------------------------------------------------------
    // Writing: the PS3.18 F.4 example style
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Writes_the_PS3_18_F4_example_structure()
    {
        var dataset = Ps318Example();
        var json = DicomJson.Serialize(dataset, new DicomJsonWriterOptions
        {
            BulkDataUriFactory = item => item.Tag == PixelData ? "http://wado.example.com/studies/1/bulk/7FE00010" : null,
        });

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);

        // Keys: 8 upper-case hex digits, ascending, every attribute with a "vr".
        var keys = root.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.All(keys, k => Assert.Matches("^[0-9A-F]{8}$", k));
        Assert.All(root.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.GetProperty("vr").ValueKind));

        Assert.Equal("""{"vr":"CS","Value":["ISO_IR 192"]}""", Raw(root, "00080005"));
        Assert.Equal("""{"vr":"CS","Value":["ORIGINAL",null,"PRIMARY"]}""", Raw(root, "00080008"));
        Assert.Equal("""{"vr":"DA","Value":["20130409"]}""", Raw(root, "00080020"));
        Assert.Equal("""{"vr":"CS","Value":["CT","PET"]}""", Raw(root, "00080061"));
        Assert.Equal("""{"vr":"PN","Value":[{"Alphabetic":"^Bob^^Dr."}]}""", Raw(root, "00080090"));
        Assert.Equal("""{"vr":"LO","Value":["Vendor A"]}""", Raw(root, "00090010"));
        Assert.Equal("""{"vr":"UN","InlineBinary":"ejB4OWM4djc="}""", Raw(root, "00091002"));
        Assert.Equal(
            """{"vr":"PN","Value":[{"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎","Phonetic":"やまだ^たろう"}]}""",
            Raw(root, "00100010"));
        Assert.Equal("""{"vr":"LO","Value":["12345"]}""", Raw(root, "00100020"));
        Assert.Equal(
            """{"vr":"SQ","Value":[{"00100020":{"vr":"LO","Value":["54321"]},"00100022":{"vr":"CS","Value":["TEXT"]}},{"00100020":{"vr":"LO","Value":["24680"]},"00100022":{"vr":"CS","Value":["RFID"]}}]}""",
            Raw(root, "00101002"));
        Assert.Equal("""{"vr":"LT"}""", Raw(root, "00104000")); // empty: no "Value"
        Assert.Equal("""{"vr":"UI","Value":["1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873"]}""", Raw(root, "0020000D"));
        Assert.Equal("""{"vr":"IS","Value":[4]}""", Raw(root, "00201206"));
        Assert.Equal("""{"vr":"IS","Value":[942]}""", Raw(root, "00201208"));
        Assert.Equal("""{"vr":"AT","Value":["00181063","00181065"]}""", Raw(root, "00280009"));
        Assert.Equal("""{"vr":"US","Value":[512]}""", Raw(root, "00280010"));
        Assert.Equal("""{"vr":"DS","Value":[0.3125,0.3125]}""", Raw(root, "00280030"));
        Assert.Equal("""{"vr":"DS","Value":[-1024]}""", Raw(root, "00281052"));
        Assert.Equal("""{"vr":"FD","Value":[0.5,-1024.25]}""", Raw(root, "00409225"));
        Assert.Equal("""{"vr":"OB","InlineBinary":"AQIDBA=="}""", Raw(root, "00420011"));
        Assert.Equal("""{"vr":"OW","BulkDataURI":"http://wado.example.com/studies/1/bulk/7FE00010"}""", Raw(root, "7FE00010"));
    }

    [Fact]
    public void Group_lengths_are_skipped_unless_asked_for()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdateValues(new DicomTag(0x0008, 0x0000), DicomVR.UL, 10u);
        dataset.AddOrUpdate(AccessionNumber, DicomVR.SH, "A1");

        using var without = JsonDocument.Parse(DicomJson.Serialize(dataset));
        Assert.False(without.RootElement.TryGetProperty("00080000", out _));

        using var with = JsonDocument.Parse(DicomJson.Serialize(dataset, new DicomJsonWriterOptions { WriteGroupLengths = true }));
        Assert.Equal("""{"vr":"UL","Value":[10]}""", Raw(with.RootElement, "00080000"));
    }

    [Fact]
    public void Indented_output_parses_to_the_same_document()
    {
        var dataset = Ps318Example();
        var compact = DicomJson.Serialize(dataset);
        var indented = DicomJson.Serialize(dataset, new DicomJsonWriterOptions { Indented = true });
        Assert.Contains('\n', indented);
        using var a = JsonDocument.Parse(compact);
        using var b = JsonDocument.Parse(indented);
        Assert.True(JsonElement.DeepEquals(a.RootElement, b.RootElement));
    }

    [Fact]
    public void Person_names_keep_their_groups_and_omit_empty_ones()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        dataset.AddOrUpdate(PatientName, DicomVR.PN, "=山田^太郎", "Doe^John", "", "==やまだ");
        var root = Parse(DicomJson.Serialize(dataset));
        Assert.Equal(
            """{"vr":"PN","Value":[{"Ideographic":"山田^太郎"},{"Alphabetic":"Doe^John"},null,{"Phonetic":"やまだ"}]}""",
            Raw(root, "00100010"));

        var back = DicomJson.Deserialize(DicomJson.Serialize(dataset));
        Assert.Equal(["=山田^太郎", "Doe^John", "", "==やまだ"], back.GetStrings(PatientName));
        AssertBytesEqual(dataset.GetElement(PatientName)!, back.GetElement(PatientName)!);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Round trips
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Dataset_to_json_to_dataset_keeps_tags_vrs_and_value_bytes()
    {
        var dataset = Ps318Example();
        var json = DicomJson.Serialize(dataset);
        var back = DicomJson.Deserialize(json);
        AssertDatasetsEqual(dataset, back);
    }

    [Fact]
    public void Json_to_dataset_to_json_is_unchanged()
    {
        const string json = """
            {
              "00080005": {"vr": "CS", "Value": ["ISO_IR 192"]},
              "00080008": {"vr": "CS", "Value": ["DERIVED", null, "SECONDARY", null]},
              "00080020": {"vr": "DA", "Value": ["20130409"]},
              "00080030": {"vr": "TM", "Value": ["131600.0000"]},
              "00080050": {"vr": "SH", "Value": ["11235813"]},
              "00080056": {"vr": "CS", "Value": ["ONLINE"]},
              "00080061": {"vr": "CS", "Value": ["CT", "PET"]},
              "00080090": {"vr": "PN", "Value": [{"Alphabetic": "^Bob^^Dr."}]},
              "00090010": {"vr": "LO", "Value": ["Vendor A"]},
              "00091002": {"vr": "UN", "InlineBinary": "z0x9c8v7"},
              "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Wang^XiaoDong", "Ideographic": "王^小東"}]},
              "00100020": {"vr": "LO", "Value": ["12345"]},
              "00100021": {"vr": "LO", "Value": ["Hospital A"]},
              "00100030": {"vr": "DA", "Value": ["19670701"]},
              "00100040": {"vr": "CS", "Value": ["M"]},
              "00101002": {"vr": "SQ", "Value": [
                {"00100020": {"vr": "LO", "Value": ["54321"]}, "00100021": {"vr": "LO", "Value": ["Hospital B"]}},
                {},
                {"00100020": {"vr": "LO", "Value": ["24680"]}, "00100021": {"vr": "LO", "Value": ["Hospital C"]}}
              ]},
              "00104000": {"vr": "LT"},
              "0020000D": {"vr": "UI", "Value": ["1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873"]},
              "00201206": {"vr": "IS", "Value": [4]},
              "00201208": {"vr": "IS", "Value": [942]},
              "00280009": {"vr": "AT", "Value": ["00181063"]},
              "00280010": {"vr": "US", "Value": [512]},
              "00280030": {"vr": "DS", "Value": [1.50, 0.5, "1A", null, 1e-05]},
              "00281050": {"vr": "DS", "Value": [-400]},
              "00409225": {"vr": "FD", "Value": [0.1, -1024.25, "NaN", "Infinity", "-Infinity"]},
              "00660030": {"vr": "FL", "Value": [0.1, 3.4028235E+38, -0]},
              "00720064": {"vr": "SV", "Value": [9007199254740991, -9007199254740991, "9007199254740992", "-9223372036854775808"]},
              "00720066": {"vr": "SS", "Value": [-32768, 32767]},
              "00720068": {"vr": "SL", "Value": [-2147483648, 2147483647]},
              "0072006A": {"vr": "UV", "Value": [0, "18446744073709551615"]},
              "00720078": {"vr": "UL", "Value": [4294967295]},
              "7FE00010": {"vr": "OB", "BulkDataURI": "http://wado.example.com/studies/1/series/2/instances/3/bulk/7FE00010"}
            }
            """;
        var dataset = DicomJson.Deserialize(json);
        var written = DicomJson.Serialize(dataset);
        using var expected = JsonDocument.Parse(json);
        using var actual = JsonDocument.Parse(written);
        Assert.True(
            JsonElement.DeepEquals(expected.RootElement, actual.RootElement),
            $"JSON changed on the way through a data set:\n{written}");
    }

    [Fact]
    public void Private_creators_and_private_elements_are_preserved()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(PrivateCreator, DicomVR.LO, "ACME 1.0");
        dataset.AddOrUpdate(PrivateText, DicomVR.LO, "private text");
        dataset.Add(new DicomElement(PrivateUnknown, DicomVR.UN, new byte[] { 1, 2, 3, 4, 5, 6 }));
        dataset.AddOrUpdateValues(new DicomTag(0x0009, 0x1003), DicomVR.US, (ushort)7, (ushort)8);

        var back = DicomJson.Deserialize(DicomJson.Serialize(dataset));
        AssertDatasetsEqual(dataset, back);
        Assert.Equal("ACME 1.0", back.GetPrivateCreator(PrivateText));
    }

    [Fact]
    public async Task Arrays_round_trip_through_streams_and_read_bulk_values_asynchronously()
    {
        var first = Ps318Example();
        var second = new DicomDataset();
        second.AddOrUpdate(PatientId, DicomVR.LO, "P2");
        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var source = new MemoryBulkDataSource("memory://bulk", payload);
        second.Add(new DicomElement(EncapsulatedDocument, DicomVR.OB, new BulkDataReference(source, 100, 200_000)));

        using var stream = new MemoryStream();
        await DicomJson.WriteArrayAsync(stream, [first, second], cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(source.Opened > 0);

        stream.Position = 0;
        using (var document = JsonDocument.Parse(stream.ToArray()))
        {
            Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
            Assert.Equal(2, document.RootElement.GetArrayLength());
        }

        var read = await DicomJson.ReadArrayAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, read.Count);
        AssertDatasetsEqual(first, read[0]);
        Assert.Equal("P2", read[1].GetString(PatientId));
        Assert.Equal(payload.AsSpan(100, 200_000).ToArray(), read[1].GetBytes(EncapsulatedDocument));
    }

    [Fact]
    public async Task Empty_array_and_single_object_streams()
    {
        using var empty = new MemoryStream();
        await DicomJson.WriteArrayAsync(empty, [], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("[]", Encoding.UTF8.GetString(empty.ToArray()));

        using var single = new MemoryStream("""{"00100020":{"vr":"LO","Value":["X"]}}"""u8.ToArray());
        var read = await DicomJson.ReadArrayAsync(single, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("X", Assert.Single(read).GetString(PatientId));

        single.Position = 0;
        await Assert.ThrowsAsync<DicomJsonException>(() => DicomJson.ReadArrayAsync(
            single, new DicomJsonReaderOptions { Strict = true }, TestContext.Current.CancellationToken));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Character sets
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Japanese_names_round_trip_through_ISO_2022_IR_87()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(SpecificCharacterSet, DicomVR.CS, "", "ISO 2022 IR 87");
        dataset.AddOrUpdate(PatientName, DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        dataset.AddOrUpdate(PatientComments, DicomVR.LT, "たろう");

        // The encoding PS3.5 H.3.1 gives (chrH31.dcm).
        Assert.Equal(
            Convert.FromHexString("59616D6164615E5461726F753D1B24423B3345441B28425E1B244242404F3A1B28423D1B24422464245E24401B28425E1B2442243F246D24261B2842"),
            dataset.GetElement(PatientName)!.InlineValue.ToArray());

        var json = DicomJson.Serialize(dataset);
        var root = Parse(json);
        Assert.Equal("""{"vr":"CS","Value":[null,"ISO 2022 IR 87"]}""", Raw(root, "00080005"));
        Assert.Equal(
            """{"vr":"PN","Value":[{"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎","Phonetic":"やまだ^たろう"}]}""",
            Raw(root, "00100010"));
        Assert.Equal("""{"vr":"LT","Value":["たろう"]}""", Raw(root, "00104000"));

        // Back: the document's (0008,0005) can encode the text, so it is kept and the bytes are those of the source.
        var back = DicomJson.Deserialize(json);
        AssertDatasetsEqual(dataset, back);
    }

    [Fact]
    public void French_names_round_trip_through_ISO_IR_100()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        dataset.AddOrUpdate(PatientName, DicomVR.PN, "Buc^Jérôme");
        dataset.AddOrUpdate(InstitutionName, DicomVR.LO, "Hôpital Général\\Clinique Sainte-Thérèse");
        Assert.Equal(Convert.FromHexString("4275635E4AE972F46D65"), dataset.GetElement(PatientName)!.InlineValue.ToArray());

        var json = DicomJson.Serialize(dataset);
        var root = Parse(json);
        Assert.Equal("""{"vr":"PN","Value":[{"Alphabetic":"Buc^Jérôme"}]}""", Raw(root, "00100010"));
        Assert.Equal("""{"vr":"LO","Value":["Hôpital Général","Clinique Sainte-Thérèse"]}""", Raw(root, "00080080"));
        Assert.Contains("Jérôme", json, StringComparison.Ordinal); // UTF-8 text, not \u escapes

        var back = DicomJson.Deserialize(json);
        Assert.Equal(["ISO_IR 100"], back.GetStrings(SpecificCharacterSet));
        AssertDatasetsEqual(dataset, back);
    }

    [Fact]
    public void Non_ascii_text_without_a_character_set_gets_ISO_IR_192()
    {
        var dataset = DicomJson.Deserialize("""
            {
              "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Müller^Jürgen"}]},
              "00101002": {"vr": "SQ", "Value": [{"00100021": {"vr": "LO", "Value": ["Zürich"]}}]}
            }
            """);
        Assert.Equal(["ISO_IR 192"], dataset.GetStrings(SpecificCharacterSet));
        Assert.Equal("Müller^Jürgen "u8.ToArray(), dataset.GetElement(PatientName)!.InlineValue.ToArray()); // padded to even
        var item = dataset.GetSequence(OtherPatientIdsSequence)!.Items[0];
        Assert.Equal("Zürich", item.GetString(IssuerOfPatientId));
        Assert.Equal("Zürich "u8.ToArray(), item.GetElement(IssuerOfPatientId)!.InlineValue.ToArray());
    }

    [Fact]
    public void Ascii_text_without_a_character_set_gets_none()
    {
        var dataset = DicomJson.Deserialize("""{"00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^John"}]}}""");
        Assert.False(dataset.Contains(SpecificCharacterSet));
    }

    [Fact]
    public void A_character_set_that_cannot_encode_the_text_is_replaced_by_ISO_IR_192()
    {
        var dataset = DicomJson.Deserialize("""
            {
              "00080005": {"vr": "CS", "Value": ["ISO_IR 100"]},
              "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎"}]}
            }
            """);
        Assert.Equal(["ISO_IR 192"], dataset.GetStrings(SpecificCharacterSet));
        Assert.Equal("Yamada^Tarou=山田^太郎", dataset.GetString(PatientName));
        Assert.Equal("Yamada^Tarou=山田^太郎"u8.ToArray(), dataset.GetElement(PatientName)!.InlineValue.ToArray());
    }

    [Fact]
    public void A_character_set_of_an_item_scopes_its_own_text()
    {
        var dataset = DicomJson.Deserialize("""
            {
              "00080005": {"vr": "CS", "Value": ["ISO_IR 100"]},
              "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Buc^Jérôme"}]},
              "00101002": {"vr": "SQ", "Value": [
                {"00100021": {"vr": "LO", "Value": ["Hôpital"]}},
                {"00080005": {"vr": "CS", "Value": ["ISO_IR 192"]}, "00100021": {"vr": "LO", "Value": ["病院"]}}
              ]}
            }
            """);
        Assert.Equal(["ISO_IR 100"], dataset.GetStrings(SpecificCharacterSet));
        var items = dataset.GetSequence(OtherPatientIdsSequence)!.Items;
        Assert.Equal(Encoding.Latin1.GetBytes("Hôpital "), items[0].GetElement(IssuerOfPatientId)!.InlineValue.ToArray());
        Assert.Equal("病院", items[1].GetString(IssuerOfPatientId));
        Assert.Equal("病院"u8.ToArray(), items[1].GetElement(IssuerOfPatientId)!.InlineValue.ToArray());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Numbers
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Decimal_and_integer_strings_are_json_numbers_from_their_text()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(PixelSpacing, DicomVR.DS, "+1.5", ".5", "1.", "007", "1A", "", "-.5e3", "1.50", "-0");
        dataset.AddOrUpdate(InstanceNumber, DicomVR.IS, "+12", "-3", "0012");
        var root = Parse(DicomJson.Serialize(dataset));
        Assert.Equal("""{"vr":"DS","Value":[1.5,0.5,1,7,"1A",null,-0.5e3,1.50,-0]}""", Raw(root, "00280030"));
        Assert.Equal("""{"vr":"IS","Value":[12,-3,12]}""", Raw(root, "00200013"));

        var back = DicomJson.Deserialize(DicomJson.Serialize(dataset));
        Assert.Equal(["1.5", "0.5", "1", "7", "1A", "", "-0.5e3", "1.50", "-0"], back.GetStrings(PixelSpacing));
        Assert.Equal([12, -3, 12], back.GetValues<int>(InstanceNumber));
    }

    [Fact]
    public void Decimal_strings_longer_than_16_characters_are_rounded_to_fit()
    {
        var dataset = DicomJson.Deserialize("""{"00280030": {"vr": "DS", "Value": [0.30000000000000004, 123456789.123456789, 1.25]}}""");
        var values = dataset.GetStrings(PixelSpacing);
        Assert.Equal("0.3", values[0]);
        Assert.True(values[1].Length <= 16, values[1]);
        Assert.Equal(123456789.123456789, double.Parse(values[1], System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal("1.25", values[2]);
    }

    [Fact]
    public void Very_long_values_beyond_2_to_the_53_are_strings()
    {
        var sv = new DicomTag(0x0072, 0x0064);
        var uv = new DicomTag(0x0072, 0x006A);
        var dataset = new DicomDataset();
        dataset.AddOrUpdateValues(sv, DicomVR.SV, 9_007_199_254_740_991L, -9_007_199_254_740_991L, 9_007_199_254_740_992L, long.MinValue);
        dataset.AddOrUpdateValues(uv, DicomVR.UV, 0UL, 9_007_199_254_740_991UL, ulong.MaxValue);
        var root = Parse(DicomJson.Serialize(dataset));
        Assert.Equal("""{"vr":"SV","Value":[9007199254740991,-9007199254740991,"9007199254740992","-9223372036854775808"]}""", Raw(root, "00720064"));
        Assert.Equal("""{"vr":"UV","Value":[0,9007199254740991,"18446744073709551615"]}""", Raw(root, "0072006A"));
        AssertDatasetsEqual(dataset, DicomJson.Deserialize(DicomJson.Serialize(dataset)));
    }

    [Fact]
    public void Floating_point_nan_and_infinities_are_strings()
    {
        var fl = new DicomTag(0x0066, 0x0030);
        var dataset = new DicomDataset();
        dataset.AddOrUpdateValues(RealWorldValueSlope, DicomVR.FD, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.1, double.Epsilon);
        dataset.AddOrUpdateValues(fl, DicomVR.FL, float.NaN, 0.1f, float.MaxValue, float.NegativeInfinity);
        var root = Parse(DicomJson.Serialize(dataset));
        Assert.Equal("""{"vr":"FD","Value":["NaN","Infinity","-Infinity",0.1,5E-324]}""", Raw(root, "00409225"));
        Assert.Equal("""{"vr":"FL","Value":["NaN",0.1,3.4028235E+38,"-Infinity"]}""", Raw(root, "00660030"));
        AssertDatasetsEqual(dataset, DicomJson.Deserialize(DicomJson.Serialize(dataset)));
    }

    [Fact]
    public void Lenient_reading_accepts_integral_numbers_and_numeric_strings_strict_does_not()
    {
        const string json = """{"00280010": {"vr": "US", "Value": [512.0, "256", 1e2]}}""";
        var dataset = DicomJson.Deserialize(json);
        Assert.Equal([512, 256, 100], dataset.GetValues<int>(Rows));
        Assert.Throws<DicomJsonException>(() => DicomJson.Deserialize(json, new DicomJsonReaderOptions { Strict = true }));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Bulk data and encapsulated pixel data
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Encapsulated_pixel_data_is_inline_binary_of_its_items_and_reads_back_as_fragments()
    {
        var fragments = new DicomFragmentSequence(PixelData, DicomVR.OB, [0u, 14u]);
        fragments.Add(new DicomFragment(new byte[] { 0xFF, 0xD8, 1, 2, 0xFF, 0xD9 }));
        fragments.Add(new DicomFragment(new byte[] { 0xFF, 0xD8, 3, 4, 5, 6, 0xFF, 0xD9 }));
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0008), DicomVR.IS, "2");
        dataset.Add(fragments);

        var root = Parse(DicomJson.Serialize(dataset));
        var pixel = root.GetProperty("7FE00010");
        Assert.Equal("OB", pixel.GetProperty("vr").GetString());
        var bytes = Convert.FromBase64String(pixel.GetProperty("InlineBinary").GetString()!);
        var expected = new DatasetBytes()
            .Tag(0xFFFE, 0xE000).U32(8).U32(0).U32(14)
            .Tag(0xFFFE, 0xE000).U32(6).Raw(0xFF, 0xD8, 1, 2, 0xFF, 0xD9)
            .Tag(0xFFFE, 0xE000).U32(8).Raw(0xFF, 0xD8, 3, 4, 5, 6, 0xFF, 0xD9)
            .ToArray();
        Assert.Equal(expected, bytes);

        var back = DicomJson.Deserialize(DicomJson.Serialize(dataset));
        AssertDatasetsEqual(dataset, back);

        // A trailing Sequence Delimitation Item is accepted too.
        var withDelimiter = Convert.ToBase64String([.. expected, .. new DatasetBytes().Tag(0xFFFE, 0xE0DD).U32(0).ToArray()]);
        var read = DicomJson.Deserialize($$$"""{"7FE00010": {"vr": "OB", "InlineBinary": "{{{withDelimiter}}}"}}""");
        var readFragments = Assert.IsType<DicomFragmentSequence>(read[PixelData]);
        Assert.Equal(2, readFragments.Fragments.Count);

        // Native pixel data stays an element.
        var native = DicomJson.Deserialize("""{"7FE00010": {"vr": "OW", "InlineBinary": "AAECAwQFBgc="}}""");
        Assert.IsType<DicomElement>(native[PixelData]);
    }

    [Fact]
    public void Bulk_data_uri_factory_and_threshold()
    {
        var fragments = new DicomFragmentSequence(PixelData, DicomVR.OB);
        fragments.Add(new DicomFragment(new byte[100]));
        var dataset = new DicomDataset();
        dataset.Add(new DicomElement(EncapsulatedDocument, DicomVR.OB, new byte[4]));
        dataset.Add(new DicomElement(PrivateUnknown, DicomVR.UN, new byte[64]));
        dataset.Add(new DicomElement(PatientComments, DicomVR.LT, new BulkDataReference(new MemoryBulkDataSource("m", "a long text, longer than the threshold"u8.ToArray()), 0, 38)));
        dataset.AddOrUpdate(AccessionNumber, DicomVR.SH, "NOT BULK");
        dataset.Add(fragments);

        var asked = new List<DicomTag>();
        var options = new DicomJsonWriterOptions
        {
            InlineBinaryThreshold = 16,
            BulkDataUriFactory = item =>
            {
                asked.Add(item.Tag);
                return item.Tag == PrivateUnknown ? null : $"bulk/{item.Tag.ToJsonKey()}";
            },
        };
        var root = Parse(DicomJson.Serialize(dataset, options));
        Assert.Equal("""{"vr":"OB","InlineBinary":"AAAAAA=="}""", Raw(root, "00420011")); // 4 bytes <= 16: not asked
        Assert.StartsWith("""{"vr":"UN","InlineBinary":""", Raw(root, "00091002"), StringComparison.Ordinal); // factory said null
        Assert.Equal("""{"vr":"LT","BulkDataURI":"bulk/00104000"}""", Raw(root, "00104000")); // LT by reference
        Assert.Equal("""{"vr":"SH","Value":["NOT BULK"]}""", Raw(root, "00080050"));
        Assert.Equal("""{"vr":"OB","BulkDataURI":"bulk/7FE00010"}""", Raw(root, "7FE00010"));
        Assert.Equal([PrivateUnknown, PatientComments, PixelData], asked);
    }

    [Fact]
    public void Unresolved_bulk_data_uris_are_kept_and_written_again()
    {
        const string uri = "http://wado.example.com/studies/1/bulk/7FE00010";
        var dataset = DicomJson.Deserialize($$$"""{"7FE00010": {"vr": "OW", "BulkDataURI": "{{{uri}}}"}}""");
        var element = dataset.GetElement(PixelData)!;
        Assert.Equal(DicomVR.OW, element.VR);
        Assert.Equal(0, element.Length);
        Assert.Equal(uri, DicomJson.GetBulkDataUri(element));
        Assert.Equal(uri, element.BulkData!.Source.Name);
        var error = Assert.Throws<InvalidOperationException>(() => element.GetValue());
        Assert.Contains(uri, error.Message, StringComparison.Ordinal);
        Assert.Equal("""{"vr":"OW","BulkDataURI":"http://wado.example.com/studies/1/bulk/7FE00010"}""", Raw(Parse(DicomJson.Serialize(dataset)), "7FE00010"));
    }

    [Fact]
    public void Bulk_data_resolver_gives_the_reference()
    {
        var payload = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var calls = new List<(string, DicomTag, DicomVR)>();
        var options = new DicomJsonReaderOptions
        {
            BulkDataResolver = (uri, tag, vr) =>
            {
                calls.Add((uri, tag, vr));
                return new BulkDataReference(new MemoryBulkDataSource(uri, payload), 0, payload.Length);
            },
        };
        var dataset = DicomJson.Deserialize("""{"7FE00010": {"vr": "OW", "BulkDataURI": "bulk/1"}}""", options);
        Assert.Equal(payload, dataset.GetBytes(PixelData));
        Assert.Equal([("bulk/1", PixelData, DicomVR.OW)], calls);
        Assert.Null(DicomJson.GetBulkDataUri(dataset[PixelData]!));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Errors: always DicomJsonException, naming the key and the JSON path
    // ----------------------------------------------------------------------------------------------------------------

    public static TheoryData<string, string?, string> BadDocuments => new()
    {
        { "not json", null, "$" },
        { "[]", null, "$" },
        { "42", null, "$" },
        { """{"0010001": {"vr": "PN"}}""", "0010001", "$.0010001" },
        { """{"0010001G": {"vr": "PN"}}""", "0010001G", "$.0010001G" },
        { """{"PatientName": {"vr": "PN"}}""", "PatientName", "$.PatientName" },
        { """{"FFFEE000": {"vr": "UN"}}""", "FFFEE000", "$.FFFEE000" },
        { """{"00100010": "Doe^John"}""", "00100010", "$.00100010" },
        { """{"00100010": {"vr": "XX"}}""", "00100010", "$.00100010.vr" },
        { """{"00100010": {"vr": 5}}""", "00100010", "$.00100010.vr" },
        { """{"00100010": {"vr": "PN", "Value": "Doe"}}""", "00100010", "$.00100010.Value" },
        { """{"00100010": {"vr": "PN", "Value": [1]}}""", "00100010", "$.00100010.Value[0]" },
        { """{"00100010": {"vr": "PN", "Value": [{"Alphabetic": 1}]}}""", "00100010", "$.00100010.Value[0].Alphabetic" },
        { """{"00100010": {"vr": "PN", "Value": [], "InlineBinary": "AA=="}}""", "00100010", "$.00100010" },
        { """{"00100020": {"vr": "LO", "Value": [12345]}}""", "00100020", "$.00100020.Value[0]" },
        { """{"00200013": {"vr": "IS", "Value": [true]}}""", "00200013", "$.00200013.Value[0]" },
        { """{"00280010": {"vr": "US", "Value": ["abc"]}}""", "00280010", "$.00280010.Value[0]" },
        { """{"00280010": {"vr": "US", "Value": [70000]}}""", "00280010", "$.00280010.Value[0]" },
        { """{"00280010": {"vr": "US", "Value": [1.5]}}""", "00280010", "$.00280010.Value[0]" },
        { """{"00280010": {"vr": "US", "Value": [null]}}""", "00280010", "$.00280010.Value[0]" },
        { """{"00660030": {"vr": "FL", "Value": [1e39]}}""", "00660030", "$.00660030.Value[0]" },
        { """{"00409225": {"vr": "FD", "Value": [1e400]}}""", "00409225", "$.00409225.Value[0]" },
        { """{"00280009": {"vr": "AT", "Value": ["0018106"]}}""", "00280009", "$.00280009.Value[0]" },
        { """{"00280009": {"vr": "AT", "Value": [1579107]}}""", "00280009", "$.00280009.Value[0]" },
        { """{"7FE00010": {"vr": "OB", "InlineBinary": "!!!not base64"}}""", "7FE00010", "$.7FE00010.InlineBinary" },
        { """{"7FE00010": {"vr": "OB", "InlineBinary": 12}}""", "7FE00010", "$.7FE00010.InlineBinary" },
        { """{"7FE00010": {"vr": "OB", "BulkDataURI": ""}}""", "7FE00010", "$.7FE00010.BulkDataURI" },
        { """{"00081115": {"vr": "SQ", "BulkDataURI": "x"}}""", "00081115", "$.00081115.BulkDataURI" },
        { """{"00081115": {"vr": "SQ", "Value": ["item"]}}""", "00081115", "$.00081115.Value[0]" },
        { """{"00081115": {"vr": "SQ", "Value": [{"00081150": {"vr": "UI", "Value": [1]}}]}}""", "00081150", "$.00081115.Value[0].00081150.Value[0]" },
        { """{"00081115": {"vr": "SQ", "Value": [{}, {"0008115": {"vr": "UI"}}]}}""", "0008115", "$.00081115.Value[1].0008115" },
        { """{"12345678": {"Value": ["x"]}}""", "12345678", "$.12345678" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void Bad_documents_raise_DicomJsonException_with_key_and_path(string json, string? key, string path)
    {
        var error = Assert.Throws<DicomJsonException>(() => DicomJson.Deserialize(json));
        Assert.Equal(key, error.Key);
        Assert.NotNull(error.Path);
        Assert.StartsWith(path, error.Path, StringComparison.Ordinal);
        Assert.Contains(error.Path, error.Message, StringComparison.Ordinal);
        if (key is not null)
        {
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string> StrictOnlyDocuments => new()
    {
        { """{"0010001a": {"vr": "LO", "Value": ["x"]}}""", "lower-case key" },
        { """{"00100020": {"vr": "LO"}, "00100010": {"vr": "PN"}}""", "keys out of order" },
        { """{"00100010": {"Value": [{"Alphabetic": "Doe"}]}}""", "no vr" },
        { """{"00100010": {"vr": "PN", "Value": ["Doe^John"]}}""", "PN as a string" },
        { """{"00100010": {"vr": "PN", "Note": 1}}""", "unknown member" },
        { """{"00100010": {"vr": "PN", "Value": null}}""", "null Value" },
        { """{"00100020": {"vr": "LO", "Value": ["a\\b"]}}""", "backslash in a value" },
        { """{"00104000": {"vr": "LT", "Value": ["a", "b"]}}""", "two LT values" },
        { """{"00080060": {"vr": "CS", "Value": ["É"]}}""", "non-ASCII CS" },
        { """{"00100020": {"vr": "LO", "InlineBinary": "AA=="}}""", "InlineBinary on LO" },
        { """{"00080050": {"vr": "SH", "BulkDataURI": "x"}}""", "BulkDataURI on SH" },
        { """{"00420011": {"vr": "OB", "Value": [1, 2]}}""", "Value on OB" },
        { """{"00280010": {"vr": "US", "Value": ["512"]}}""", "US as a string" },
    };

    [Theory]
    [MemberData(nameof(StrictOnlyDocuments))]
    public void Strict_mode_rejects_what_lenient_mode_accepts(string json, string what)
    {
        var lenient = DicomJson.Deserialize(json);
        Assert.NotNull(lenient);
        var error = Assert.Throws<DicomJsonException>(() => DicomJson.Deserialize(json, new DicomJsonReaderOptions { Strict = true }));
        Assert.NotNull(error.Path);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public async Task Bad_streams_raise_DicomJsonException()
    {
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<DicomJsonException>(() => DicomJson.ReadArrayAsync(new MemoryStream("[{"u8.ToArray()), cancellationToken: ct));
        await Assert.ThrowsAsync<DicomJsonException>(() => DicomJson.ReadArrayAsync(new MemoryStream("[1]"u8.ToArray()), cancellationToken: ct));
        await Assert.ThrowsAsync<DicomJsonException>(() => DicomJson.ReadArrayAsync(new MemoryStream("\"x\""u8.ToArray()), cancellationToken: ct));
        var error = await Assert.ThrowsAsync<DicomJsonException>(() => DicomJson.ReadArrayAsync(
            new MemoryStream("""[{}, {"00100010": {"vr": "QQ"}}]"""u8.ToArray()), cancellationToken: ct));
        Assert.Equal("$[1].00100010.vr", error.Path);
        Assert.Throws<DicomJsonException>(() => DicomJson.Read(default));
    }

    [Fact]
    public void Any_value_replaced_by_any_other_kind_is_read_or_raises_DicomJsonException()
    {
        var source = DicomJson.Serialize(Ps318Example());
        var replacements = new Func<JsonNode?>[]
        {
            () => null, () => JsonValue.Create(1), () => JsonValue.Create(-1.5), () => JsonValue.Create("x"),
            () => JsonValue.Create("00100010"), () => JsonValue.Create(true), () => new JsonArray(), () => new JsonObject(),
            () => new JsonArray(JsonValue.Create("a"), null), () => new JsonObject { ["vr"] = "SQ" },
        };
        var count = CountNodes(JsonNode.Parse(source)!);
        var outcomes = new Dictionary<string, int>();
        foreach (var strict in new[] { false, true })
        {
            var options = new DicomJsonReaderOptions { Strict = strict };
            for (var target = 1; target < count; target++)
            {
                foreach (var replacement in replacements)
                {
                    var root = JsonNode.Parse(source)!;
                    var index = 0;
                    Replace(root, target, replacement, ref index);
                    var json = root.ToJsonString();
                    try
                    {
                        DicomJson.Deserialize(json, options);
                        outcomes["read"] = outcomes.GetValueOrDefault("read") + 1;
                    }
                    catch (DicomJsonException error)
                    {
                        Assert.NotNull(error.Path);
                        outcomes["error"] = outcomes.GetValueOrDefault("error") + 1;
                    }
                }
            }
        }

        Assert.True(outcomes.GetValueOrDefault("error") > 0 && outcomes.GetValueOrDefault("read") > 0);

        static int CountNodes(JsonNode? node) => 1 + node switch
        {
            JsonObject o => o.Sum(p => CountNodes(p.Value)),
            JsonArray a => a.Sum(CountNodes),
            _ => 0,
        };

        // Replaces the target-th node (pre-order) below the root.
        static void Replace(JsonNode? node, int target, Func<JsonNode?> replacement, ref int index)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var name in o.Select(p => p.Key).ToList())
                    {
                        if (++index == target)
                        {
                            o[name] = replacement();
                            return;
                        }

                        Replace(o[name], target, replacement, ref index);
                        if (index >= target)
                        {
                            return;
                        }
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        if (++index == target)
                        {
                            a[i] = replacement();
                            return;
                        }

                        Replace(a[i], target, replacement, ref index);
                        if (index >= target)
                        {
                            return;
                        }
                    }

                    break;
            }
        }
    }

    [Fact]
    public async Task Single_objects_through_streams()
    {
        var dataset = Ps318Example();
        using var stream = new MemoryStream();
        await DicomJson.WriteAsync(stream, dataset, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(DicomJson.SerializeToUtf8Bytes(dataset), stream.ToArray());
        stream.Position = 0;
        AssertDatasetsEqual(dataset, await DicomJson.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken));

        using var writerStream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(writerStream))
        {
            DicomJson.Write(writer, dataset);
        }

        AssertDatasetsEqual(dataset, DicomJson.Deserialize(writerStream.ToArray()));
    }

    [Fact]
    public void Lenient_reading_accepts_common_deviations()
    {
        var dataset = DicomJson.Deserialize("""
            {
              "00100020": {"vr": "LO", "Value": ["B"]},
              "00100010": {"Value": ["Doe^John"]},
              "0008103e": {"vr": "LO", "Value": ["lower-case key"], "comment": "ignored"},
              "00280010": {"vr": "US", "Value": null},
            }
            """);
        Assert.Equal("Doe^John", dataset.GetString(PatientName));
        Assert.Equal(DicomVR.PN, dataset[PatientName]!.VR); // from the dictionary
        Assert.Equal("lower-case key", dataset.GetString(new DicomTag(0x0008, 0x103E)));
        Assert.Equal(0, dataset.GetElement(Rows)!.Length);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // pydicom cross-check
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Pydicom_reads_our_json_and_its_json_reads_back_to_the_same_values()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            Assert.Skip($"{python} is absent: pydicom cross-check skipped.");
        }

        var dataset = Ps318Example();
        dataset.Remove(PixelData);
        var directory = Directory.CreateTempSubdirectory("vna-json-tests-").FullName;
        try
        {
            var ours = Path.Combine(directory, "ours.json");
            await File.WriteAllTextAsync(ours, DicomJson.Serialize(dataset), TestContext.Current.CancellationToken);
            var script = Path.Combine(directory, "check.py");
            await File.WriteAllTextAsync(script, """
                import json, sys
                try:
                    import pydicom
                except ImportError:
                    print("NO PYDICOM")
                    sys.exit(3)
                ds = pydicom.dataset.Dataset.from_json(open(sys.argv[1], encoding="utf-8").read())
                values = {
                    "PatientName": str(ds.PatientName),
                    "Ideographic": ds.PatientName.ideographic,
                    "Phonetic": ds.PatientName.phonetic,
                    "ImageType": [str(v) for v in ds.ImageType],
                    "ModalitiesInStudy": list(ds.ModalitiesInStudy),
                    "Rows": ds.Rows,
                    "PixelSpacing": [float(v) for v in ds.PixelSpacing],
                    "NumberOfStudyRelatedInstances": int(ds.NumberOfStudyRelatedInstances),
                    "RealWorldValueSlope": list(ds.RealWorldValueSlope),
                    "FrameIncrementPointer": ["%08X" % int(t) for t in ds.FrameIncrementPointer],
                    "EncapsulatedDocument": ds.EncapsulatedDocument.hex(),
                    "OtherPatientIDs": [str(item.PatientID) for item in ds.OtherPatientIDsSequence],
                    "Private": ds[0x00091002].value.hex(),
                }
                with open(sys.argv[2], "w", encoding="utf-8") as f:
                    json.dump(values, f, ensure_ascii=False)
                with open(sys.argv[3], "w", encoding="utf-8") as f:
                    f.write(ds.to_json())
                """, TestContext.Current.CancellationToken);

            var valuesPath = Path.Combine(directory, "values.json");
            var theirs = Path.Combine(directory, "theirs.json");
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { script, ours, valuesPath, theirs })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            if (process.ExitCode == 3)
            {
                Assert.Skip("pydicom is not installed for /usr/bin/python3: cross-check skipped.");
            }

            Assert.True(process.ExitCode == 0, $"pydicom failed:\n{await stdout}\n{await stderr}");

            using var values = JsonDocument.Parse(await File.ReadAllBytesAsync(valuesPath, TestContext.Current.CancellationToken));
            var v = values.RootElement;
            Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", v.GetProperty("PatientName").GetString());
            Assert.Equal("山田^太郎", v.GetProperty("Ideographic").GetString());
            Assert.Equal("やまだ^たろう", v.GetProperty("Phonetic").GetString());
            Assert.Equal(["ORIGINAL", "", "PRIMARY"], v.GetProperty("ImageType").EnumerateArray().Select(e => e.GetString()!));
            Assert.Equal(["CT", "PET"], v.GetProperty("ModalitiesInStudy").EnumerateArray().Select(e => e.GetString()!));
            Assert.Equal(512, v.GetProperty("Rows").GetInt32());
            Assert.Equal([0.3125, 0.3125], v.GetProperty("PixelSpacing").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(942, v.GetProperty("NumberOfStudyRelatedInstances").GetInt32());
            Assert.Equal([0.5, -1024.25], v.GetProperty("RealWorldValueSlope").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(["00181063", "00181065"], v.GetProperty("FrameIncrementPointer").EnumerateArray().Select(e => e.GetString()!));
            Assert.Equal("01020304", v.GetProperty("EncapsulatedDocument").GetString());
            Assert.Equal(["54321", "24680"], v.GetProperty("OtherPatientIDs").EnumerateArray().Select(e => e.GetString()!));
            Assert.Equal(Convert.ToHexStringLower("z0x9c8v7"u8), v.GetProperty("Private").GetString());

            // pydicom's own JSON reads back to the values we started from (pydicom 2.3.1 writes DS values as Python floats,
            // so "-1024" comes back as -1024.0: decimal strings are compared as numbers).
            var back = DicomJson.Deserialize(await File.ReadAllTextAsync(theirs, TestContext.Current.CancellationToken));
            AssertDatasetsEqual(dataset, back, decimalStringsAsNumbers: true);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>A data set in the style of PS3.18 F.4 (a QIDO-RS study response), with one of each kind of value.</summary>
    private static DicomDataset Ps318Example()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        dataset.AddOrUpdate(ImageType, DicomVR.CS, "ORIGINAL", "", "PRIMARY");
        dataset.AddOrUpdate(StudyDate, DicomVR.DA, "20130409");
        dataset.AddOrUpdate(StudyTime, DicomVR.TM, "131600.0000");
        dataset.AddOrUpdate(AccessionNumber, DicomVR.SH, "11235813");
        dataset.AddOrUpdate(ModalitiesInStudy, DicomVR.CS, "CT", "PET");
        dataset.AddOrUpdate(ReferringPhysicianName, DicomVR.PN, "^Bob^^Dr.");
        dataset.AddOrUpdate(StudyDescription, DicomVR.LO, "Brain (ﾃｽﾄ)");
        dataset.AddOrUpdate(PrivateCreator, DicomVR.LO, "Vendor A");
        dataset.Add(new DicomElement(PrivateUnknown, DicomVR.UN, "z0x9c8v7"u8.ToArray()));
        dataset.AddOrUpdate(PatientName, DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        dataset.AddOrUpdate(PatientId, DicomVR.LO, "12345");
        dataset.AddOrUpdate(IssuerOfPatientId, DicomVR.LO, "Hospital A");
        dataset.AddOrUpdate(PatientBirthDate, DicomVR.DA, "19670701");
        dataset.AddOrUpdate(PatientSex, DicomVR.CS, "M");
        var first = new DicomDataset();
        first.AddOrUpdate(PatientId, DicomVR.LO, "54321");
        first.AddOrUpdate(TypeOfPatientId, DicomVR.CS, "TEXT");
        var second = new DicomDataset();
        second.AddOrUpdate(PatientId, DicomVR.LO, "24680");
        second.AddOrUpdate(TypeOfPatientId, DicomVR.CS, "RFID");
        dataset.Add(new DicomSequence(OtherPatientIdsSequence, [first, second]));
        dataset.Add(new DicomElement(PatientComments, DicomVR.LT, ReadOnlyMemory<byte>.Empty));
        dataset.AddOrUpdate(StudyInstanceUid, DicomVR.UI, "1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873");
        dataset.AddOrUpdate(NumberOfStudyRelatedSeries, DicomVR.IS, "4");
        dataset.AddOrUpdate(NumberOfStudyRelatedInstances, DicomVR.IS, "942");
        dataset.AddOrUpdate(FrameIncrementPointer, new DicomTag(0x0018, 0x1063), new DicomTag(0x0018, 0x1065));
        dataset.AddOrUpdateValues(Rows, DicomVR.US, (ushort)512);
        dataset.AddOrUpdate(PixelSpacing, DicomVR.DS, "0.3125", "0.3125");
        dataset.AddOrUpdate(RescaleIntercept, DicomVR.DS, "-1024");
        dataset.AddOrUpdateValues(RealWorldValueSlope, DicomVR.FD, 0.5, -1024.25);
        dataset.Add(new DicomElement(EncapsulatedDocument, DicomVR.OB, new byte[] { 1, 2, 3, 4 }));
        var pixels = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(pixels, 0x1234);
        dataset.Add(new DicomElement(PixelData, DicomVR.OW, pixels));
        return dataset;
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The attribute's JSON as compact text (our writer's own formatting, so it compares exactly).</summary>
    private static string Raw(JsonElement root, string key) => root.GetProperty(key).GetRawText();

    private static void AssertDatasetsEqual(DicomDataset expected, DicomDataset actual, string path = "", bool decimalStringsAsNumbers = false)
    {
        Assert.Equal(expected.Select(i => i.Tag), actual.Select(i => i.Tag));
        foreach (var e in expected)
        {
            var a = actual[e.Tag]!;
            var where = $"{path}{e.Tag}";
            Assert.True(e.VR == a.VR, $"{where}: VR {e.VR.Code()} became {a.VR.Code()}");
            switch (e)
            {
                case DicomSequence sequence:
                    var other = Assert.IsType<DicomSequence>(a);
                    Assert.Equal(sequence.Items.Count, other.Items.Count);
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        AssertDatasetsEqual(sequence.Items[i], other.Items[i], $"{where}[{i}].", decimalStringsAsNumbers);
                    }

                    break;
                case DicomFragmentSequence fragments:
                    var otherFragments = Assert.IsType<DicomFragmentSequence>(a);
                    Assert.Equal(fragments.BasicOffsetTable, otherFragments.BasicOffsetTable);
                    Assert.Equal(
                        fragments.Fragments.Select(f => f.InlineValue.ToArray()),
                        otherFragments.Fragments.Select(f => f.InlineValue.ToArray()));
                    break;
                case DicomElement { VR: DicomVR.DS } when decimalStringsAsNumbers:
                    Assert.Equal(expected.GetValues<double>(e.Tag), actual.GetValues<double>(e.Tag));
                    break;
                case DicomElement element:
                    AssertBytesEqual(element, Assert.IsType<DicomElement>(a), where);
                    break;
            }
        }
    }

    private static void AssertBytesEqual(DicomElement expected, DicomElement actual, string? where = null)
    {
        var e = expected.GetValue().ToArray();
        var a = actual.GetValue().ToArray();
        Assert.True(
            e.AsSpan().SequenceEqual(a),
            $"{where ?? expected.Tag.ToString()}: value {Convert.ToHexString(e)} became {Convert.ToHexString(a)}");
    }

    /// <summary>Bulk data in memory, counting how often it is opened.</summary>
    private sealed class MemoryBulkDataSource(string name, byte[] bytes) : IBulkDataSource
    {
        public string Name { get; } = name;

        public int Opened { get; private set; }

        public Stream OpenRead()
        {
            Opened++;
            return new MemoryStream(bytes, writable: false);
        }
    }
}
