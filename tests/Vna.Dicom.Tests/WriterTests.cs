using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vna.Dicom.Tests;

/// <summary>
/// The Part 10 writer checked against DCMTK: data sets built in code are written in each transfer syntax and dumped with
/// <c>dcmdump</c>, which must read them without a warning and print the values written.
/// </summary>
[Collection(nameof(AllocationTests))] // measures process-wide allocations: runs alone
public sealed partial class WriterTests : IDisposable
{
    private const string ImplicitLE = "1.2.840.10008.1.2";
    private const string ExplicitLE = "1.2.840.10008.1.2.1";
    private const string ExplicitBE = "1.2.840.10008.1.2.2";
    private const string DeflatedLE = "1.2.840.10008.1.2.1.99";
    private const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    private const int BulkObLength = 300_001; // odd: padded on write; several buffer fills
    private const int BulkOwLength = 100_000;

    private static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    private readonly string _directory = Directory.CreateTempSubdirectory("vna-writer-tests-").FullName;

    public static TheoryData<string, DicomWriterSequenceLength> SyntaxesAndLengths
    {
        get
        {
            var data = new TheoryData<string, DicomWriterSequenceLength>();
            foreach (var ts in new[] { ImplicitLE, ExplicitLE, ExplicitBE, DeflatedLE })
            {
                data.Add(ts, DicomWriterSequenceLength.Undefined);
                data.Add(ts, DicomWriterSequenceLength.Defined);
            }

            return data;
        }
    }

    public static TheoryData<string> UncompressedSyntaxes => [ImplicitLE, ExplicitLE, ExplicitBE, DeflatedLE];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Theory]
    [MemberData(nameof(SyntaxesAndLengths))]
    public async Task Every_uncompressed_syntax_is_read_by_dcmdump_with_the_values_written(string uid, DicomWriterSequenceLength sequenceLength)
    {
        var ts = DicomTransferSyntax.Parse(uid);
        using var file = new DicomFile(SourceMeta(), BuildSample(), ts);
        var path = Path.Combine(_directory, "sample.dcm");
        await DicomWriter.WriteFileAsync(path, file, new DicomWriterOptions { SequenceLength = sequenceLength }, Ct);

        var dump = await DcmdumpAsync(path);

        // File meta
        Assert.Equal(uid, Value(dump, "0002,0010").Value.Trim('[', ']', '='));
        Assert.Equal("[1.2.840.10008.5.1.4.1.1.7]", Value(dump, "0002,0002").Value);
        Assert.Equal($"[{DicomWriter.ImplementationClassUid}]", Value(dump, "0002,0012").Value);
        Assert.Equal("[VNA_0_1]", Value(dump, "0002,0013").Value);
        Assert.Equal("[SOURCE_AE]", Value(dump, "0002,0016").Value); // other meta elements of the source are kept

        // Strings, including multi-valued ones
        Assert.Equal(("PN", "[Doe^John]"), Pair(Value(dump, "0010,0010")));
        Assert.Equal(("CS", @"[ORIGINAL\PRIMARY\AXIAL]"), Pair(Value(dump, "0008,0008")));
        Assert.Equal(("DS", @"[-125.5\-130\42.25]"), Pair(Value(dump, "0020,0032")));
        Assert.Equal(("IS", @"[1\1]"), Pair(Value(dump, "0028,0034")));
        Assert.Equal(("LO", "[PID-12345]"), Pair(Value(dump, "0010,0020")));

        // Binary numbers: correct in both byte orders only if swapped by their size
        Assert.Equal(("US", "512"), Pair(Value(dump, "0028,0010")));
        Assert.Equal(("US", "256"), Pair(Value(dump, "0028,0011")));
        Assert.Equal(("SS", "-2"), Pair(Value(dump, "0028,1041")));
        Assert.Equal(("UL", "3500000"), Pair(Value(dump, "0018,6030")));
        Assert.Equal(("SL", @"-70000\70000"), Pair(Value(dump, "0018,6020")));
        Assert.Equal(("FL", "29.5"), Pair(Value(dump, "0008,9459")));
        Assert.Equal(("FD", @"1.5\-2.25"), Pair(Value(dump, "0008,1163")));
        Assert.Equal(("SV", @"-1234567890123\42"), Pair(Value(dump, "0072,0082")));
        Assert.Equal(("UV", "18446744073709551615"), Pair(Value(dump, "0072,0083")));
        Assert.Equal(("OW", @"0102\a0b0\ffff"), Pair(Value(dump, "0028,1201")));
        Assert.Equal(("AT", @"(0018,1063)\(0018,1065)"), Pair(Value(dump, "0028,0009")));
        Assert.Equal(("OB", @"01\02\03\04\05\00"), Pair(Value(dump, "0016,002b")));

        // Bulk data streamed from a file: OB never swapped, OW swapped by 16 bits
        var ob = Value(dump, "0042,0011");
        Assert.Equal("OB", ob.VR);
        Assert.Equal((BulkObLength + 1).ToString(CultureInfo.InvariantCulture), ob.Length);
        Assert.StartsWith(@"00\07\0e\15\1c\23\2a\31", ob.Value, StringComparison.Ordinal);
        var ow = Value(dump, "0028,1202");
        Assert.Equal("OW", ow.VR);
        Assert.Equal(BulkOwLength.ToString(CultureInfo.InvariantCulture), ow.Length);
        Assert.StartsWith(@"0000\0001\0002\0003\0004\0005\0006\0007", ow.Value, StringComparison.Ordinal);

        // Private creator and private element (an implicit VR reader has no VR for it: only its bytes are comparable)
        if (ts.IsExplicitVR)
        {
            Assert.Equal(("LO", "[VNA TEST]"), Pair(Value(dump, "0009,0010")));
            Assert.Equal(("LO", "[private value]"), Pair(Value(dump, "0009,1001")));
            Assert.Equal(("US", @"7\8"), Pair(Value(dump, "0009,1002")));
        }
        else
        {
            Assert.Equal("14", Value(dump, "0009,1001").Length);
            Assert.Equal("4", Value(dump, "0009,1002").Length);
        }

        // Sequences two levels deep, with the length form asked for
        var defined = sequenceLength == DicomWriterSequenceLength.Defined;
        var series = Value(dump, "0008,1115");
        Assert.Equal("SQ", series.VR);
        Assert.Equal(defined ? "(Sequence with explicit length #=2)" : "(Sequence with undefined length #=2)", series.Value);
        var instances = Values(dump, "0008,114a");
        Assert.Equal(2, instances.Count);
        Assert.Equal(defined ? "(Sequence with explicit length #=2)" : "(Sequence with undefined length #=2)", instances[0].Value);
        Assert.Equal(defined ? "(Sequence with explicit length #=0)" : "(Sequence with undefined length #=0)", instances[1].Value);
        Assert.Equal(
            ["[1.2.3.4.5.1]", "[1.2.3.4.5.2]"],
            Values(dump, "0008,1155").Select(v => v.Value).ToArray());
        Assert.Equal(["[1.2.3.4]", "[1.2.3.5]"], Values(dump, "0020,000e").Select(v => v.Value).ToArray());
        Assert.Equal(("UT", "[inner text]"), Pair(Value(dump, "0040,a160")));
        var empty = Value(dump, "0008,1140");
        Assert.Equal(defined ? "(Sequence with explicit length #=0)" : "(Sequence with undefined length #=0)", empty.Value);
        if (defined)
        {
            // dcmdump shows "(ItemDelimitationItem for re-encoding)" markers for explicit lengths, never a real delimiter.
            Assert.DoesNotContain("(ItemDelimitationItem)", dump, StringComparison.Ordinal);
            Assert.DoesNotContain("(SequenceDelimitationItem)", dump, StringComparison.Ordinal);
            Assert.Contains("(Item with explicit length #=", dump, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("(Item with undefined length #=", dump, StringComparison.Ordinal);
        }

        // Group lengths are dropped by default; group 0002 elements of the data set are not written in its body
        Assert.Empty(Values(dump, "0010,0000"));
        Assert.Single(Values(dump, "0002,0016"));
    }

    [Theory]
    [MemberData(nameof(UncompressedSyntaxes))]
    public async Task Big_endian_and_little_endian_bytes_are_where_they_belong(string uid)
    {
        var ts = DicomTransferSyntax.Parse(uid);
        var bytes = await WriteToBytesAsync(BuildSample(), ts);
        var body = ts.IsDeflated ? Inflate(bytes, MetaEnd(bytes)) : bytes.AsSpan(MetaEnd(bytes)).ToArray();

        // (0028,0010) US 512
        byte[] rows = uid switch
        {
            ImplicitLE => [0x28, 0x00, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02],
            ExplicitBE => [0x00, 0x28, 0x00, 0x10, (byte)'U', (byte)'S', 0x00, 0x02, 0x02, 0x00],
            _ => [0x28, 0x00, 0x10, 0x00, (byte)'U', (byte)'S', 0x02, 0x00, 0x00, 0x02],
        };
        Assert.True(body.AsSpan().IndexOf(rows) >= 0, "Rows is not encoded as expected.");

        // (0028,0009) AT (0018,1063)\(0018,1065): each 16-bit half swapped, not the 32-bit tag
        byte[] at = ts.IsBigEndian ? [0x00, 0x18, 0x10, 0x63, 0x00, 0x18, 0x10, 0x65] : [0x18, 0x00, 0x63, 0x10, 0x18, 0x00, 0x65, 0x10];
        Assert.True(body.AsSpan().IndexOf(at) >= 0, "AT is not encoded as expected.");

        // Text is never swapped
        Assert.True(body.AsSpan().IndexOf("Doe^John"u8) >= 0);
    }

    [Fact]
    public async Task Meta_group_length_counts_exactly_the_meta_elements()
    {
        var bytes = await WriteToBytesAsync(BuildSample(), DicomTransferSyntax.ExplicitVRLittleEndian, SourceMeta());

        Assert.True(bytes.AsSpan(0, 128).IndexOfAnyExcept((byte)0) < 0, "The preamble is not 128 zero bytes.");
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        Assert.Equal([0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 0x04, 0x00], bytes[132..140]);
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));

        // Walk the meta elements independently (explicit VR little endian) up to the first tag outside group 0002.
        var position = 144;
        while (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position)) == 0x0002)
        {
            var vr = Encoding.ASCII.GetString(bytes, position + 4, 2);
            position += vr is "OB" or "OW" or "UN" or "SQ" or "UT" or "UC" or "UR" or "OD" or "OF" or "OL" or "OV" or "SV" or "UV"
                ? 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 8))
                : 8 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(position + 6));
        }

        Assert.Equal(position - 144, (int)groupLength);

        var path = Path.Combine(_directory, "meta.dcm");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        var dump = await DcmdumpAsync(path);
        Assert.Equal(("UL", groupLength.ToString(CultureInfo.InvariantCulture)), Pair(Value(dump, "0002,0000")));
        Assert.Equal(("OB", @"00\01"), Pair(Value(dump, "0002,0001")));
        Assert.Equal("[1.2.3.999.1]", Value(dump, "0002,0003").Value);
    }

    [Fact]
    public async Task Meta_comes_from_the_data_set_when_the_source_meta_is_empty()
    {
        var dataset = BuildSample();
        var meta = DicomWriter.CreateFileMetaInformation(dataset, DicomTransferSyntax.ExplicitVRBigEndian, "MY_AE");

        Assert.Equal("1.2.840.10008.5.1.4.1.1.7", meta.GetString(new DicomTag(0x0002, 0x0002)));
        Assert.Equal("1.2.3.999.1", meta.GetString(new DicomTag(0x0002, 0x0003)));
        Assert.Equal("1.2.840.10008.1.2.2", meta.GetString(new DicomTag(0x0002, 0x0010)));
        Assert.Equal(DicomWriter.ImplementationClassUid, meta.GetString(new DicomTag(0x0002, 0x0012)));
        Assert.Equal("VNA_0_1", meta.GetString(new DicomTag(0x0002, 0x0013)));
        Assert.Equal("MY_AE", meta.GetString(new DicomTag(0x0002, 0x0016)));
        Assert.True(DicomUid.IsValid(DicomWriter.ImplementationClassUid));
        Assert.StartsWith("2.25.", DicomWriter.ImplementationClassUid, StringComparison.Ordinal);

        var bytes = await WriteToBytesAsync(dataset, DicomTransferSyntax.ExplicitVRLittleEndian, new DicomDataset());
        var path = Path.Combine(_directory, "nometa.dcm");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        var dump = await DcmdumpAsync(path);
        Assert.Equal("[1.2.840.10008.5.1.4.1.1.7]", Value(dump, "0002,0002").Value);
        Assert.Equal("[1.2.3.999.1]", Value(dump, "0002,0003").Value);
        Assert.Empty(Values(dump, "0002,0016"));
        var created = DicomWriter.CreateFileMetaInformation(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(bytes, await WriteToBytesAsync(dataset, DicomTransferSyntax.ExplicitVRLittleEndian, created));
        Assert.Equal(MetaEnd(bytes) - 144, (int)created.GetValue<uint>(new DicomTag(0x0002, 0x0000))!.Value);
    }

    [Fact]
    public async Task Source_implementation_is_kept_only_when_asked()
    {
        var meta = SourceMeta();
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0012), DicomVR.UI, "1.2.3.4.5.6");
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0013), DicomVR.SH, "OTHER_1");
        using var file = new DicomFile(meta, BuildSample(), DicomTransferSyntax.ExplicitVRLittleEndian);

        var ours = Path.Combine(_directory, "ours.dcm");
        await DicomWriter.WriteFileAsync(ours, file, cancellationToken: Ct);
        var kept = Path.Combine(_directory, "kept.dcm");
        await DicomWriter.WriteFileAsync(kept, file, new DicomWriterOptions { KeepSourceImplementation = true }, Ct);

        var oursDump = await DcmdumpAsync(ours);
        Assert.Equal($"[{DicomWriter.ImplementationClassUid}]", Value(oursDump, "0002,0012").Value);
        Assert.Equal("[VNA_0_1]", Value(oursDump, "0002,0013").Value);
        var keptDump = await DcmdumpAsync(kept);
        Assert.Equal("[1.2.3.4.5.6]", Value(keptDump, "0002,0012").Value);
        Assert.Equal("[OTHER_1]", Value(keptDump, "0002,0013").Value);
    }

    [Theory]
    [InlineData(ExplicitLE)]
    [InlineData(ExplicitBE)]
    [InlineData(ImplicitLE)]
    public async Task A_value_too_long_for_a_16_bit_length_is_written_as_UN_in_explicit_VR(string uid)
    {
        var ts = DicomTransferSyntax.Parse(uid);
        var dataset = MinimalDataset();
        dataset.AddOrUpdate(new DicomElement(new DicomTag(0x0008, 0x1030), DicomVR.LO, Filled(70_000, (byte)'A')));
        dataset.AddOrUpdate(new DicomElement(new DicomTag(0x0008, 0x103E), DicomVR.LO, Filled(65_534, (byte)'B')));
        dataset.AddOrUpdate(new DicomElement(new DicomTag(0x0008, 0x1090), DicomVR.LO, Filled(65_535, (byte)'C'))); // pads to 65,536

        var bytes = await WriteToBytesAsync(dataset, ts);
        var path = Path.Combine(_directory, "long.dcm");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        var dump = await DcmdumpAsync(path);

        var big = Value(dump, "0008,1030");
        var fits = Value(dump, "0008,103e");
        var padded = Value(dump, "0008,1090");
        Assert.Equal("70000", big.Length);
        Assert.Equal("65534", fits.Length);
        Assert.Equal("65536", padded.Length);
        Assert.Equal("LO", fits.VR);
        if (ts.IsExplicitVR)
        {
            Assert.Equal("UN", big.VR);
            Assert.Equal("UN", padded.VR);
            Assert.StartsWith(@"41\41\41", big.Value, StringComparison.Ordinal);
            byte[] header = ts.IsBigEndian
                ? [0x00, 0x08, 0x10, 0x30, (byte)'U', (byte)'N', 0, 0, 0x00, 0x01, 0x11, 0x70]
                : [0x08, 0x00, 0x30, 0x10, (byte)'U', (byte)'N', 0, 0, 0x70, 0x11, 0x01, 0x00];
            Assert.True(bytes.AsSpan().IndexOf(header) >= 0, "The UN header is not as expected.");
        }
        else
        {
            Assert.Equal("LO", big.VR);
            Assert.Equal("LO", padded.VR);
            byte[] header = [0x08, 0x00, 0x30, 0x10, 0x70, 0x11, 0x01, 0x00];
            Assert.True(bytes.AsSpan().IndexOf(header) >= 0);
        }
    }

    [Theory]
    [InlineData(DicomWriterSequenceLength.Undefined)]
    [InlineData(DicomWriterSequenceLength.Defined)]
    public async Task Encapsulated_pixel_data_has_offset_table_fragments_and_delimiter(DicomWriterSequenceLength sequenceLength)
    {
        var bytes = await WriteToBytesAsync(
            BuildEncapsulated(), DicomTransferSyntax.JpegBaseline, options: new DicomWriterOptions { SequenceLength = sequenceLength });
        var path = Path.Combine(_directory, "jpeg.dcm");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        var dump = await DcmdumpAsync(path);

        Assert.Equal(JpegBaseline, Value(dump, "0002,0010").Value.Trim('[', ']', '='));
        var pixel = Value(dump, "7fe0,0010");
        Assert.Equal("OB", pixel.VR);
        Assert.Equal("(PixelSequence #=3)", pixel.Value);
        Assert.Equal("u/l", pixel.Length);
        var items = Values(dump, "fffe,e000");
        Assert.Equal(3, items.Count);
        Assert.Equal(("pi", @"00\00\00\00\14\00\00\00"), (items[0].VR, items[0].Value));
        Assert.Equal("8", items[0].Length);
        Assert.Equal("12", items[1].Length); // 11 bytes padded
        Assert.StartsWith(@"ff\d8\ff\e0\01\02\03\04\05\ff\d9\00", items[1].Value, StringComparison.Ordinal);
        Assert.Equal("20", items[2].Length);
        Assert.StartsWith(@"ff\d8\00\01\02\03", items[2].Value, StringComparison.Ordinal);
        Assert.Single(Values(dump, "fffe,e0dd"));

        // The item tags and the empty Basic Offset Table case, byte for byte.
        var dataset = BuildEncapsulated();
        ((DicomFragmentSequence)dataset[PixelData]!).BasicOffsetTable = [];
        var noTable = await WriteToBytesAsync(dataset, DicomTransferSyntax.JpegBaseline);
        byte[] header = [0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0, 0xFE, 0xFF, 0x00, 0xE0, 12, 0, 0, 0];
        Assert.True(noTable.AsSpan().IndexOf(header) >= 0);
        Assert.Equal([0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0], noTable[^8..]);
        await File.WriteAllBytesAsync(path, noTable, Ct);
        Assert.Equal("0", Values(await DcmdumpAsync(path), "fffe,e000")[0].Length);
    }

    [Fact]
    public async Task Fragments_in_a_native_syntax_and_native_pixels_in_an_encapsulated_syntax_are_refused_before_writing()
    {
        using var output = new MemoryStream();
        var fragments = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DicomWriter.WriteDatasetAsync(output, BuildEncapsulated(), DicomTransferSyntax.ExplicitVRLittleEndian, cancellationToken: Ct));
        Assert.Contains("(7FE0,0010)", fragments.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);

        var native = MinimalDataset();
        native.AddOrUpdate(new DicomElement(PixelData, DicomVR.OW, new byte[8]));
        using var file = new DicomFile(new DicomDataset(), native, DicomTransferSyntax.JpegBaseline);
        var path = Path.Combine(_directory, "refused.dcm");
        await File.WriteAllBytesAsync(path, [1, 2, 3], Ct);
        var nativeError = await Assert.ThrowsAsync<InvalidOperationException>(() => DicomWriter.WriteFileAsync(path, file, cancellationToken: Ct));
        Assert.Contains("(7FE0,0010)", nativeError.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(path, Ct)); // an existing file is left alone
    }

    [Theory]
    [InlineData(DicomWriterSequenceLength.Undefined, "-e")]
    [InlineData(DicomWriterSequenceLength.Defined, "+e")]
    public async Task Kept_group_lengths_are_recomputed_as_dcmtk_computes_them(DicomWriterSequenceLength sequenceLength, string dcmconvLengthOption)
    {
        var dataset = BuildSample();
        dataset.AddOrUpdate(new DicomElement(new DicomTag(0x0008, 0x0000), DicomVR.UL, new byte[] { 1, 0, 0, 0 }));
        var path = Path.Combine(_directory, "groups.dcm");
        using (var file = new DicomFile(SourceMeta(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian))
        {
            await DicomWriter.WriteFileAsync(
                path, file, new DicomWriterOptions { KeepGroupLengths = true, SequenceLength = sequenceLength }, Ct);
        }

        var ours = await DcmdumpAsync(path);
        var recomputed = Path.Combine(_directory, "groups-dcmconv.dcm");
        var (exit, output, error) = await RunAsync("dcmconv", "+g=", dcmconvLengthOption, path, recomputed);
        Assert.True(exit == 0, $"dcmconv failed: {output}{error}");
        var theirs = await DcmdumpAsync(recomputed);

        foreach (var group in new[] { "0008,0000", "0010,0000" })
        {
            Assert.Equal(Value(theirs, group).Value, Value(ours, group).Value);
        }

        Assert.Equal("UL", Value(ours, "0010,0000").VR);
    }

    [Theory]
    [MemberData(nameof(UncompressedSyntaxes))]
    public async Task Bare_data_set_is_the_file_body(string uid)
    {
        var ts = DicomTransferSyntax.Parse(uid);
        var dataset = BuildSample();
        dataset.AddOrUpdate(new DicomTag(0x0002, 0x0016), DicomVR.AE, "IGNORED"); // meta elements are not data set elements

        using var bare = new MemoryStream();
        await DicomWriter.WriteDatasetAsync(bare, dataset, ts, cancellationToken: Ct);
        var file = await WriteToBytesAsync(dataset, ts);

        Assert.Equal(file.AsSpan(MetaEnd(file)).ToArray(), bare.ToArray());
        if (!ts.IsDeflated)
        {
            var expectedFirst = ts.IsBigEndian ? new byte[] { 0x00, 0x08, 0x00, 0x08 } : [0x08, 0x00, 0x08, 0x00];
            Assert.Equal(expectedFirst, bare.ToArray()[..4]); // (0008,0008) comes first: no group 0002 element
        }
        else
        {
            Assert.Equal(0, bare.Length % 2); // the deflated data set is padded to an even length
        }
    }

    [Fact]
    public async Task A_bulk_value_larger_than_2_GB_is_streamed_without_loading_it()
    {
        const long length = 2_200_000_001; // > int.MaxValue, odd
        var sparse = Path.Combine(_directory, "sparse.bin");
        await using (var create = new FileStream(sparse, FileMode.CreateNew, FileAccess.Write))
        {
            create.SetLength(length); // sparse on Linux file systems: no disk used
        }

        var dataset = MinimalDataset();
        dataset.AddOrUpdate(new DicomElement(new DicomTag(0x0042, 0x0011), DicomVR.OB, new BulkDataReference(new FileBulkDataSource(sparse), 0, length)));
        var small = MinimalDataset();
        var baseline = (await WriteToBytesAsync(small, DicomTransferSyntax.ExplicitVRLittleEndian, new DicomDataset())).Length;

        var sink = new CountingSink();
        using var file = new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await DicomWriter.WriteFileAsync(sink, file, cancellationToken: Ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(baseline + 12 + length + 1, sink.Count);
        Assert.True(allocated < 64L * 1024 * 1024, $"Writing allocated {allocated} bytes.");
    }

    [Theory]
    [InlineData(ExplicitLE, DicomWriterSequenceLength.Undefined)]
    [InlineData(ExplicitBE, DicomWriterSequenceLength.Defined)]
    public async Task Writing_many_small_elements_allocates_nothing_per_element(string uid, DicomWriterSequenceLength sequenceLength)
    {
        var ts = DicomTransferSyntax.Parse(uid);
        var options = new DicomWriterOptions { SequenceLength = sequenceLength };
        var dataset = MinimalDataset();
        for (ushort i = 0; i < 5000; i++)
        {
            dataset.AddOrUpdateValues(new DicomTag(0x0019, (ushort)(0x1000 + i)), DicomVR.US, i);
        }

        var item = new DicomDataset();
        item.AddOrUpdate(new DicomTag(0x0008, 0x1155), DicomVR.UI, "1.2.3");
        dataset.Add(new DicomSequence(new DicomTag(0x0008, 0x1115), [item]));
        dataset.AddOrUpdate(new DicomTag(0x0019, 0x0010), DicomVR.LO, "VNA");

        using var output = new MemoryStream(1 << 20);
        await DicomWriter.WriteDatasetAsync(output, dataset, ts, options, Ct); // warms the buffer pool and the JIT
        output.SetLength(0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        await DicomWriter.WriteDatasetAsync(output, dataset, ts, options, Ct);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(output.Length > 5000 * 10);
        Assert.True(allocated < 8 * 1024, $"Writing 5,000 elements allocated {allocated} bytes.");
    }

    [Fact]
    public async Task Command_group_length_is_always_written_and_recomputed()
    {
        var command = new DicomDataset();
        command.AddOrUpdate(new DicomElement(new DicomTag(0x0000, 0x0000), DicomVR.UL, new byte[4]));
        command.AddOrUpdate(new DicomTag(0x0000, 0x0002), DicomVR.UI, "1.2.840.10008.1.1");
        command.AddOrUpdateValues(new DicomTag(0x0000, 0x0100), DicomVR.US, (ushort)0x0030);

        using var output = new MemoryStream();
        await DicomWriter.WriteDatasetAsync(output, command, DicomTransferSyntax.ImplicitVRLittleEndian, cancellationToken: Ct);

        var expected = new DatasetBytes()
            .Implicit(0x0000, 0x0000, BitConverter.GetBytes(8u + 18 + 8 + 2))
            .Implicit(0x0000, 0x0002, "1.2.840.10008.1.1\0")
            .Implicit(0x0000, 0x0100, BitConverter.GetBytes((ushort)0x0030))
            .ToArray();
        Assert.Equal(expected, output.ToArray());
    }

    [Theory]
    [MemberData(nameof(SyntaxesAndLengths))]
    public async Task Written_files_read_back_with_the_same_content(string uid, DicomWriterSequenceLength sequenceLength)
    {
        var ts = DicomTransferSyntax.Parse(uid);
        var dataset = BuildSample();
        var bytes = await WriteToBytesAsync(dataset, ts, options: new DicomWriterOptions { SequenceLength = sequenceLength });

        using var read = await DicomReader.ReadAsync(new MemoryStream(bytes), cancellationToken: Ct);

        Assert.Equal(ts, read.TransferSyntax);
        Assert.Empty(read.Warnings);
        Assert.Equal("SOURCE_AE", read.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0016)));
        await AssertSameAsync(dataset, read.Dataset, ts.IsExplicitVR);
    }

    [Fact]
    public async Task Encapsulated_file_reads_back_with_the_same_fragments()
    {
        var dataset = BuildEncapsulated();
        var bytes = await WriteToBytesAsync(dataset, DicomTransferSyntax.JpegBaseline);

        using var read = await DicomReader.ReadAsync(new MemoryStream(bytes), cancellationToken: Ct);

        var expected = (DicomFragmentSequence)dataset[PixelData]!;
        var actual = Assert.IsType<DicomFragmentSequence>(read.Dataset[PixelData]);
        Assert.Equal(expected.BasicOffsetTable, actual.BasicOffsetTable);
        Assert.Equal(2, actual.Fragments.Count);
        Assert.Equal([.. (await expected.Fragments[0].GetValueAsync(Ct)).ToArray(), 0], (await actual.Fragments[0].GetValueAsync(Ct)).ToArray());
        Assert.Equal((await expected.Fragments[1].GetValueAsync(Ct)).ToArray(), (await actual.Fragments[1].GetValueAsync(Ct)).ToArray());
    }

    private static async Task AssertSameAsync(DicomDataset expected, DicomDataset actual, bool explicitVR)
    {
        var written = expected.Where(i => !i.Tag.IsGroupLength && !i.Tag.IsFileMetaInformation).ToArray();
        Assert.Equal(written.Select(i => i.Tag).ToArray(), actual.Select(i => i.Tag).ToArray());
        foreach (var item in written)
        {
            var other = actual[item.Tag]!;
            switch (item)
            {
                case DicomElement element:
                    var otherElement = Assert.IsType<DicomElement>(other);
                    if (explicitVR || !item.Tag.IsPrivate)
                    {
                        Assert.Equal(element.VR, otherElement.VR);
                    }

                    var value = (await element.GetValueAsync(Ct)).ToArray();
                    if ((value.Length & 1) == 1)
                    {
                        value = [.. value, element.VR.PaddingByte()];
                    }

                    var actualValue = (await otherElement.GetValueAsync(Ct)).ToArray();
                    Assert.True(value.AsSpan().SequenceEqual(actualValue), $"{item.Tag} differs.");
                    break;
                case DicomSequence sequence:
                    var otherSequence = Assert.IsType<DicomSequence>(other);
                    Assert.Equal(sequence.Items.Count, otherSequence.Items.Count);
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        await AssertSameAsync(sequence.Items[i], otherSequence.Items[i], explicitVR);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Unexpected {item}.");
            }
        }
    }

    /// <summary>Every kind of element the writer must handle, built in code.</summary>
    private DicomDataset BuildSample()
    {
        var ds = MinimalDataset();
        ds.AddOrUpdate(new DicomTag(0x0008, 0x0008), DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(new DicomTag(0x0008, 0x0060), DicomVR.CS, "OT");
        ds.AddOrUpdateValues(new DicomTag(0x0008, 0x1163), DicomVR.FD, 1.5, -2.25);
        ds.AddOrUpdateValues(new DicomTag(0x0008, 0x9459), DicomVR.FL, 29.5f);
        ds.AddOrUpdate(new DicomTag(0x0010, 0x0010), DicomVR.PN, "Doe^John");
        ds.AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "PID-12345");
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0010, 0x0000), DicomVR.UL, new byte[] { 0xE7, 0x03, 0, 0 })); // 999: wrong on purpose
        ds.AddOrUpdateValues(new DicomTag(0x0018, 0x6020), DicomVR.SL, -70000, 70000);
        ds.AddOrUpdateValues(new DicomTag(0x0018, 0x6030), DicomVR.UL, 3_500_000u);
        ds.AddOrUpdate(new DicomTag(0x0020, 0x0032), DicomVR.DS, "-125.5", "-130", "42.25");
        ds.AddOrUpdate(new DicomTag(0x0028, 0x0009), new DicomTag(0x0018, 0x1063), new DicomTag(0x0018, 0x1065));
        ds.AddOrUpdateValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512);
        ds.AddOrUpdateValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)256);
        ds.AddOrUpdate(new DicomTag(0x0028, 0x0034), DicomVR.IS, "1", "1");
        ds.AddOrUpdateValues(new DicomTag(0x0028, 0x1041), DicomVR.SS, (short)-2);
        ds.AddOrUpdateValues(new DicomTag(0x0028, 0x1201), DicomVR.OW, (ushort)0x0102, (ushort)0xA0B0, (ushort)0xFFFF);
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0016, 0x002B), DicomVR.OB, new byte[] { 1, 2, 3, 4, 5 })); // odd: padded with 00
        ds.AddOrUpdateValues(new DicomTag(0x0072, 0x0082), DicomVR.SV, -1234567890123L, 42L);
        ds.AddOrUpdateValues(new DicomTag(0x0072, 0x0083), DicomVR.UV, ulong.MaxValue);

        // Private block
        ds.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "VNA TEST");
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1001), DicomVR.LO, "private value");
        ds.AddOrUpdateValues(new DicomTag(0x0009, 0x1002), DicomVR.US, (ushort)7, (ushort)8);

        // Sequences: (0008,1115) > (0008,114A) > items, one item with a third level, one empty inner sequence, one empty sequence
        var deepest = new DicomDataset();
        deepest.AddOrUpdate(new DicomTag(0x0040, 0xA160), DicomVR.UT, "inner text");
        var instance1 = new DicomDataset();
        instance1.AddOrUpdate(new DicomTag(0x0008, 0x1150), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        instance1.AddOrUpdate(new DicomTag(0x0008, 0x1155), DicomVR.UI, "1.2.3.4.5.1");
        instance1.Add(new DicomSequence(new DicomTag(0x0040, 0xA730), [deepest]));
        var instance2 = new DicomDataset();
        instance2.AddOrUpdate(new DicomTag(0x0008, 0x1150), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        instance2.AddOrUpdate(new DicomTag(0x0008, 0x1155), DicomVR.UI, "1.2.3.4.5.2");
        var series1 = new DicomDataset();
        series1.Add(new DicomSequence(new DicomTag(0x0008, 0x114A), [instance1, instance2]));
        series1.AddOrUpdate(new DicomTag(0x0020, 0x000E), DicomVR.UI, "1.2.3.4");
        var series2 = new DicomDataset();
        series2.Add(new DicomSequence(new DicomTag(0x0008, 0x114A)));
        series2.AddOrUpdate(new DicomTag(0x0020, 0x000E), DicomVR.UI, "1.2.3.5");
        ds.Add(new DicomSequence(new DicomTag(0x0008, 0x1115), [series1, series2]));
        ds.Add(new DicomSequence(new DicomTag(0x0008, 0x1140)));

        // Bulk data from temporary files
        var obPath = Path.Combine(_directory, "bulk-ob.bin");
        var ob = new byte[100 + BulkObLength];
        for (var i = 0; i < BulkObLength; i++)
        {
            ob[100 + i] = (byte)(i * 7);
        }

        File.WriteAllBytes(obPath, ob);
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0042, 0x0011), DicomVR.OB, new BulkDataReference(new FileBulkDataSource(obPath), 100, BulkObLength)));

        var owPath = Path.Combine(_directory, "bulk-ow.bin");
        var ow = new byte[BulkOwLength];
        for (var i = 0; i < BulkOwLength / 2; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(ow.AsSpan(i * 2), (ushort)i);
        }

        File.WriteAllBytes(owPath, ow);
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0028, 0x1202), DicomVR.OW, new BulkDataReference(new FileBulkDataSource(owPath), 0, BulkOwLength)));
        return ds;
    }

    private static DicomDataset MinimalDataset()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(SopClassUid, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(SopInstanceUid, DicomVR.UI, "1.2.3.999.1");
        return ds;
    }

    private DicomDataset BuildEncapsulated()
    {
        var ds = MinimalDataset();
        ds.AddOrUpdate(new DicomTag(0x0028, 0x0008), DicomVR.IS, "2");
        ds.AddOrUpdateValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)1);
        ds.AddOrUpdateValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)1);

        var fragmentPath = Path.Combine(_directory, "fragment.bin");
        var second = new byte[24];
        second[4] = 0xFF;
        second[5] = 0xD8;
        for (var i = 6; i < 24; i++)
        {
            second[i] = (byte)(i - 6);
        }

        second[^2] = 0xFF;
        second[^1] = 0xD9;
        File.WriteAllBytes(fragmentPath, second);

        // Frame 1: an 11-byte fragment, padded to 12, so frame 2's item starts 8 + 12 = 20 bytes after frame 1's.
        var pixels = new DicomFragmentSequence(PixelData, DicomVR.OB, [0u, 20u]);
        pixels.Add(new DicomFragment(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 0xFF, 0xD9 }));
        pixels.Add(new DicomFragment(new BulkDataReference(new FileBulkDataSource(fragmentPath), 4, 20)));
        ds.Add(pixels);
        return ds;
    }

    private static DicomDataset SourceMeta()
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0016), DicomVR.AE, "SOURCE_AE");
        meta.AddOrUpdate(new DicomElement(new DicomTag(0x0002, 0x0000), DicomVR.UL, new byte[] { 1, 0, 0, 0 })); // stale
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0010), DicomVR.UI, "1.2.840.10008.1.2"); // replaced by the file's syntax
        return meta;
    }

    private static async Task<byte[]> WriteToBytesAsync(DicomDataset dataset, DicomTransferSyntax ts, DicomDataset? meta = null, DicomWriterOptions? options = null)
    {
        using var file = new DicomFile(meta ?? SourceMeta(), dataset, ts);
        using var stream = new MemoryStream();
        await DicomWriter.WriteFileAsync(stream, file, options, Ct);
        return stream.ToArray();
    }

    /// <summary>Offset of the first byte after the File Meta Information, from its group length.</summary>
    private static int MetaEnd(byte[] file) => 144 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(140));

    private static byte[] Inflate(byte[] file, int offset)
    {
        using var input = new MemoryStream(file, offset, file.Length - offset);
        using var inflate = new System.IO.Compression.DeflateStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflate.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    /// <summary>Runs dcmdump (UIDs as numbers, long values abbreviated); asserts it succeeds with no warning or error.</summary>
    private static async Task<string> DcmdumpAsync(string path)
    {
        var (exit, output, error) = await RunAsync("dcmdump", "-Un", path);
        Assert.True(exit == 0, $"dcmdump exited with {exit}: {error}");
        var problems = (output + "\n" + error).Split('\n')
            .Where(l => l.StartsWith("W:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("F:", StringComparison.Ordinal))
            .ToArray();
        Assert.True(problems.Length == 0, "dcmdump reported:\n" + string.Join('\n', problems));
        return output;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, params string[] arguments)
    {
        var executable = FindTool(tool);
        if (executable is null)
        {
            Assert.Skip($"{tool} (DCMTK) is not installed: skipped.");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.Latin1,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await error);
    }

    private static string? FindTool(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, name);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (string VR, string Value) Pair(DumpLine line) => (line.VR, line.Value);

    private static DumpLine Value(string dump, string tag)
    {
        var lines = Values(dump, tag);
        Assert.True(lines.Count > 0, $"({tag}) is not in the dump:\n{dump}");
        return lines[0];
    }

    /// <summary>Every line of a dcmdump listing for <paramref name="tag"/> ("0010,0010"), in order.</summary>
    private static List<DumpLine> Values(string dump, string tag)
    {
        var result = new List<DumpLine>();
        foreach (Match m in DumpLineRegex().Matches(dump))
        {
            if (string.Equals(m.Groups["tag"].Value, tag, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(new DumpLine(m.Groups["vr"].Value, m.Groups["value"].Value, m.Groups["length"].Value));
            }
        }

        return result;
    }

    // "(0010,0010) PN [Doe^John]                               #   8, 1 PatientName"
    [GeneratedRegex(@"^\s*\((?<tag>[0-9a-fA-F]{4},[0-9a-fA-F]{4})\) (?<vr>\S\S) (?<value>.*?)\s+#\s*(?<length>[^,\s]+),", RegexOptions.Multiline)]
    private static partial Regex DumpLineRegex();

    private sealed record DumpLine(string VR, string Value, string Length);

    /// <summary>A write-only stream that only counts.</summary>
    private sealed class CountingSink : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position
        {
            get => Count;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Count += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count += buffer.Length;
            return default;
        }
    }
}
