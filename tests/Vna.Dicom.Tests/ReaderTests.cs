using System.Text;

namespace Vna.Dicom.Tests;

public sealed class ReaderTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag Rows = new(0x0028, 0x0010);
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    private static Task<DicomFile> Read(byte[] bytes, DicomReaderOptions? options = null) =>
        DicomReader.ReadAsync(new MemoryStream(bytes), options, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Explicit_little_endian_part10_values_are_read()
    {
        var body = new DatasetBytes()
            .Explicit(0x0008, 0x0060, "CS", "CT")
            .Explicit(0x0010, 0x0010, "PN", "Doe^John")
            .Explicit(0x0028, 0x0010, "US", BitConverter.GetBytes((ushort)512))
            .Explicit(0x0028, 0x1050, "DS", "40\\400")
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2.1", body));

        Assert.True(file.HasPreamble);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("Doe^John", file.Dataset.GetString(PatientName));
        Assert.Equal("Doe", file.Dataset.GetPersonName(PatientName)!.FamilyName);
        Assert.Equal((ushort)512, file.Dataset.GetValue<ushort>(Rows));
        Assert.Equal([40m, 400m], file.Dataset.GetValues<decimal>(new DicomTag(0x0028, 0x1050)));
        Assert.Equal("CT", file.Dataset.GetString(new DicomTag(0x0008, 0x0060)));
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public async Task Implicit_little_endian_takes_vrs_from_the_dictionary()
    {
        var body = new DatasetBytes()
            .Implicit(0x0010, 0x0010, "Roe^Jane")
            .Implicit(0x0028, 0x0010, BitConverter.GetBytes((ushort)256))
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2", body));

        Assert.Equal(DicomVR.PN, file.Dataset[PatientName]!.VR);
        Assert.Equal(DicomVR.US, file.Dataset[Rows]!.VR);
        Assert.Equal((ushort)256, file.Dataset.GetValue<ushort>(Rows));
    }

    [Fact]
    public async Task Implicit_us_or_ss_follows_pixel_representation()
    {
        var body = new DatasetBytes()
            .Implicit(0x0028, 0x0103, BitConverter.GetBytes((ushort)1))
            .Implicit(0x0028, 0x0106, BitConverter.GetBytes((short)-100))
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2", body));

        Assert.Equal(DicomVR.SS, file.Dataset[new DicomTag(0x0028, 0x0106)]!.VR);
        Assert.Equal((short)-100, file.Dataset.GetValue<short>(new DicomTag(0x0028, 0x0106)));
    }

    [Fact]
    public async Task Big_endian_numbers_are_swapped_to_little_endian_in_memory()
    {
        var body = new DatasetBytes(bigEndian: true)
            .Tag(0x0028, 0x0010).Ascii("US").U16(2).U16(512)
            .Tag(0x0018, 0x0050).Ascii("FD").U16(8).Raw(BitConverter.GetBytes(1.25).Reverse().ToArray())
            .Tag(0x0028, 0x0009).Ascii("AT").U16(4).U16(0x0018).U16(0x1063)
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2.2", body));

        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, file.TransferSyntax);
        Assert.Equal((ushort)512, file.Dataset.GetValue<ushort>(Rows));
        Assert.Equal(1.25, file.Dataset.GetValue<double>(new DicomTag(0x0018, 0x0050)));
        Assert.Equal([new DicomTag(0x0018, 0x1063)], file.Dataset.GetTags(new DicomTag(0x0028, 0x0009)));
    }

    [Fact]
    public async Task Nested_sequences_with_defined_and_undefined_lengths()
    {
        var inner = new DatasetBytes().Explicit(0x0008, 0x0100, "SH", "T-A0100 ").ToArray();
        var definedItem = new DatasetBytes().Tag(0xFFFE, 0xE000).U32((uint)inner.Length).Raw(inner).ToArray();
        var body = new DatasetBytes()
            .Tag(0x0008, 0x1032).Ascii("SQ").U16(0).U32(0xFFFFFFFF)
                .Tag(0xFFFE, 0xE000).U32(0xFFFFFFFF)
                    .Explicit(0x0008, 0x0104, "LO", "Head")
                    .Tag(0x0008, 0x2218).Ascii("SQ").U16(0).U32((uint)definedItem.Length).Raw(definedItem)
                .Tag(0xFFFE, 0xE00D).U32(0)
            .Tag(0xFFFE, 0xE0DD).U32(0)
            .Explicit(0x0010, 0x0010, "PN", "After^Sequence")
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2.1", body));

        var sequence = file.Dataset.GetSequence(new DicomTag(0x0008, 0x1032))!;
        var item = Assert.Single(sequence.Items);
        Assert.Equal("Head", item.GetString(new DicomTag(0x0008, 0x0104)));
        var nested = Assert.Single(item.GetSequence(new DicomTag(0x0008, 0x2218))!.Items);
        Assert.Equal("T-A0100", nested.GetString(new DicomTag(0x0008, 0x0100)));
        Assert.Equal("After^Sequence", file.Dataset.GetString(PatientName));
    }

    [Fact]
    public async Task Undefined_length_un_is_read_as_an_implicit_little_endian_sequence()
    {
        var body = new DatasetBytes()
            .Tag(0x0008, 0x1140).Ascii("UN").U16(0).U32(0xFFFFFFFF)
                .Tag(0xFFFE, 0xE000).U32(0xFFFFFFFF)
                    .Implicit(0x0008, 0x1155, "1.2.3.4\0")
                .Tag(0xFFFE, 0xE00D).U32(0)
            .Tag(0xFFFE, 0xE0DD).U32(0)
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2.1", body));

        var sequence = file.Dataset.GetSequence(new DicomTag(0x0008, 0x1140))!;
        Assert.Equal("1.2.3.4", Assert.Single(sequence.Items).GetString(new DicomTag(0x0008, 0x1155)));
        Assert.Contains(file.Warnings, w => w.Message.Contains("CP-246", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Encapsulated_pixel_data_keeps_offset_table_and_fragments()
    {
        var body = new DatasetBytes()
            .Explicit(0x0028, 0x0008, "IS", "2 ")
            .Tag(0x7FE0, 0x0010).Ascii("OB").U16(0).U32(0xFFFFFFFF)
                .Tag(0xFFFE, 0xE000).U32(8).U32(0).U32(16)
                .Tag(0xFFFE, 0xE000).U32(8).Raw(1, 2, 3, 4, 5, 6, 0xFF, 0xD9)
                .Tag(0xFFFE, 0xE000).U32(4).Raw(9, 9, 0xFF, 0xD9)
            .Tag(0xFFFE, 0xE0DD).U32(0)
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2.4.50", body));

        var pixels = Assert.IsType<DicomFragmentSequence>(file.Dataset[PixelData]);
        Assert.Equal([0u, 16u], pixels.BasicOffsetTable);
        Assert.Equal(2, pixels.Fragments.Count);
        var frames = pixels.GetFrameFragments(2);
        Assert.Equal(new Range(0, 1), frames[0]);
        Assert.Equal(new Range(1, 2), frames[1]);
    }

    [Fact]
    public async Task Bulk_data_from_a_file_is_referenced_not_loaded()
    {
        var pixels = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        var body = new DatasetBytes()
            .Explicit(0x0010, 0x0010, "PN", "Bulk^Test")
            .Explicit(0x7FE0, 0x0010, "OW", pixels)
            .ToArray();
        var path = Path.Combine(Path.GetTempPath(), "vna-reader-" + Guid.NewGuid().ToString("N") + ".dcm");
        await File.WriteAllBytesAsync(path, DatasetBytes.Part10("1.2.840.10008.1.2.1", body), TestContext.Current.CancellationToken);
        try
        {
            using var file = await DicomReader.ReadFileAsync(path, cancellationToken: TestContext.Current.CancellationToken);
            var element = Assert.IsType<DicomElement>(file.Dataset[PixelData]);
            Assert.True(element.IsBulkData);
            Assert.Equal(pixels.Length, element.Length);
            Assert.Equal(pixels, (await element.GetValueAsync(TestContext.Current.CancellationToken)).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Bulk_data_from_a_stream_that_cannot_seek_is_spooled()
    {
        var pixels = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        var body = new DatasetBytes().Explicit(0x7FE0, 0x0010, "OB", pixels).Explicit(0x7FE0, 0x0020, "OB", [1, 2]).ToArray();
        var stream = new NonSeekableStream(new MemoryStream(DatasetBytes.Part10("1.2.840.10008.1.2.1", body)));

        string spoolPath;
        using (var file = await DicomReader.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken))
        {
            var element = Assert.IsType<DicomElement>(file.Dataset[PixelData]);
            var spool = Assert.IsType<SpoolBulkDataSource>(element.BulkData!.Source);
            spoolPath = spool.Path;
            Assert.Equal(pixels, (await element.GetValueAsync(TestContext.Current.CancellationToken)).ToArray());
            Assert.NotNull(file.Dataset[new DicomTag(0x7FE0, 0x0020)]);
        }

        Assert.False(File.Exists(spoolPath));
    }

    [Fact]
    public async Task Big_endian_bulk_data_reads_back_little_endian()
    {
        var words = new DatasetBytes(bigEndian: true);
        for (ushort i = 0; i < 40_000; i++)
        {
            words.U16(i);
        }

        var wordBytes = words.ToArray();
        var body = new DatasetBytes(bigEndian: true).Tag(0x7FE0, 0x0010).Ascii("OW").U16(0).U32((uint)wordBytes.Length).Raw(wordBytes).ToArray();
        var path = Path.Combine(Path.GetTempPath(), "vna-reader-be-" + Guid.NewGuid().ToString("N") + ".dcm");
        await File.WriteAllBytesAsync(path, DatasetBytes.Part10("1.2.840.10008.1.2.2", body), TestContext.Current.CancellationToken);
        try
        {
            using var file = await DicomReader.ReadFileAsync(path, cancellationToken: TestContext.Current.CancellationToken);
            var values = file.Dataset.GetValues<ushort>(PixelData);
            Assert.Equal(40_000, values.Length);
            Assert.Equal((ushort)12345, values[12345]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Truncated_value_raises_read_exception_with_offset_and_tag()
    {
        var body = new DatasetBytes()
            .Explicit(0x0010, 0x0010, "PN", "Doe^John")
            .Tag(0x0010, 0x0020).Ascii("LO").U16(40).Ascii("short")
            .ToArray();

        var ex = await Assert.ThrowsAsync<DicomReadException>(() => Read(DatasetBytes.Part10("1.2.840.10008.1.2.1", body)));

        Assert.Equal(new DicomTag(0x0010, 0x0020), ex.Tag);
        Assert.True(ex.Offset > 132);
        Assert.Contains("(0010,0020)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Odd_length_is_tolerated_with_a_warning_and_refused_in_strict_mode()
    {
        var body = new DatasetBytes().Explicit(0x0010, 0x0020, "LO", "ABC").ToArray();
        var bytes = DatasetBytes.Part10("1.2.840.10008.1.2.1", body);

        using var file = await Read(bytes);
        Assert.Equal("ABC", file.Dataset.GetString(new DicomTag(0x0010, 0x0020)));
        Assert.Contains(file.Warnings, w => w.Message.Contains("Odd value length", StringComparison.Ordinal));

        await Assert.ThrowsAsync<DicomReadException>(() => Read(bytes, new DicomReaderOptions { Strict = true }));
    }

    [Fact]
    public async Task Header_only_read_stops_before_pixel_data()
    {
        var body = new DatasetBytes()
            .Explicit(0x0010, 0x0010, "PN", "Doe^John")
            .Explicit(0x7FE0, 0x0010, "OW", new byte[1024])
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2.1", body), new DicomReaderOptions { StopAtTag = PixelData });

        Assert.True(file.IsPartial);
        Assert.Null(file.Dataset[PixelData]);
        Assert.Equal("Doe^John", file.Dataset.GetString(PatientName));
    }

    [Fact]
    public async Task Bare_data_sets_are_detected_implicit_explicit_and_big_endian()
    {
        var implicitLe = new DatasetBytes().Implicit(0x0008, 0x0060, "MR").Implicit(0x0010, 0x0010, "A^B ").ToArray();
        var explicitLe = new DatasetBytes().Explicit(0x0008, 0x0060, "CS", "MR").ToArray();
        var explicitBe = new DatasetBytes(bigEndian: true).Tag(0x0008, 0x0060).Ascii("CS").U16(2).Ascii("MR").ToArray();

        using var a = await Read(implicitLe);
        using var b = await Read(explicitLe);
        using var c = await Read(explicitBe);

        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, a.TransferSyntax);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, b.TransferSyntax);
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, c.TransferSyntax);
        Assert.All(new[] { a, b, c }, f => Assert.Equal("MR", f.Dataset.GetString(new DicomTag(0x0008, 0x0060))));
        Assert.False(a.HasFileMetaInformation);
    }

    [Fact]
    public async Task Deflated_data_set_is_inflated()
    {
        var body = new DatasetBytes().Explicit(0x0010, 0x0010, "PN", "Deflated^Patient").ToArray();
        using var compressed = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(body);
        }

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2.1.99", compressed.ToArray()));

        Assert.Equal("Deflated^Patient", file.Dataset.GetString(PatientName));
    }

    [Fact]
    public async Task Garbage_input_raises_read_exception_not_another_type()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            try
            {
                using var file = await Read(bytes);
            }
            catch (DicomReadException)
            {
            }
        }
    }

    [Fact]
    public async Task Truncated_copies_of_a_valid_file_fail_cleanly_at_every_length()
    {
        var body = new DatasetBytes()
            .Explicit(0x0010, 0x0010, "PN", "Doe^John")
            .Tag(0x0008, 0x1032).Ascii("SQ").U16(0).U32(0xFFFFFFFF)
                .Tag(0xFFFE, 0xE000).U32(0xFFFFFFFF).Explicit(0x0008, 0x0104, "LO", "Head").Tag(0xFFFE, 0xE00D).U32(0)
            .Tag(0xFFFE, 0xE0DD).U32(0)
            .Explicit(0x7FE0, 0x0010, "OW", new byte[64])
            .ToArray();
        var full = DatasetBytes.Part10("1.2.840.10008.1.2.1", body);

        using var complete = await Read(full);
        var allTags = complete.Dataset.Select(i => i.Tag).ToHashSet();
        for (var length = 140; length < full.Length; length++)
        {
            try
            {
                // Cut exactly between two elements, the prefix is a valid (shorter) data set.
                using var file = await Read(full[..length]);
                Assert.All(file.Dataset, i => Assert.Contains(i.Tag, allTags));
                Assert.True(file.Dataset.Count < complete.Dataset.Count);
            }
            catch (DicomReadException ex)
            {
                Assert.True(ex.Offset <= length, $"offset {ex.Offset} past the end at length {length}");
            }
        }
    }

    [Fact]
    public async Task Latin1_text_is_decoded_with_specific_character_set()
    {
        var body = new DatasetBytes()
            .Explicit(0x0008, 0x0005, "CS", "ISO_IR 100")
            .Explicit(0x0010, 0x0010, "PN", Encoding.Latin1.GetBytes("Buc^Jérôme"))
            .ToArray();

        using var file = await Read(DatasetBytes.Part10("1.2.840.10008.1.2.1", body));

        Assert.Equal("Buc^Jérôme", file.Dataset.GetString(PatientName));
    }

    [Fact]
    public async Task Sample_96_frame_xa_maps_every_frame_to_its_fragments()
    {
        var path = TestSamples.PathOf("multiframe/HasFragmentSequence.dcm");

        using var file = await DicomReader.ReadFileAsync(path, cancellationToken: TestContext.Current.CancellationToken);

        var frames = file.Dataset.GetValue<int>(new DicomTag(0x0028, 0x0008)) ?? 1;
        Assert.Equal(96, frames);
        var pixels = Assert.IsType<DicomFragmentSequence>(file.Dataset[PixelData]);
        Assert.Equal(96, pixels.GetFrameFragments(frames).Count);
    }

    [Theory]
    [InlineData("no-meta/CR-MONO1-10-chest.dcm", "1.2.840.10008.1.2")]
    [InlineData("no-meta/ExplVR_BigEndNoMeta.dcm", "1.2.840.10008.1.2.2")]
    [InlineData("no-meta/no_preamble_dicm_in_data.dcm", "1.2.840.10008.1.2.1")]
    [InlineData("transfer-syntax/jpeg-ls-lossless/JLSL_RGB_ILV1.dcm", "1.2.840.10008.1.2.4.80")]
    [InlineData("malformed/meta_missing_tsyntax.dcm", "1.2.840.10008.1.2")]
    public async Task Sample_without_standard_header_gets_the_right_transfer_syntax(string sample, string expectedSyntax)
    {
        using var file = await DicomReader.ReadFileAsync(TestSamples.PathOf(sample), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(expectedSyntax, file.TransferSyntax.Uid);
        Assert.NotEmpty(file.Warnings);
        Assert.True(file.Dataset.Count >= 2);
    }
}
