namespace Vna.Dicom.Tests;

/// <summary>
/// Hostile lengths must not allocate what they declare. Measured with the process-wide allocation counter, so these
/// tests run alone (no other test allocates meanwhile).
/// </summary>
[Collection(nameof(AllocationTests))]
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTests
{
    [Fact]
    public async Task Huge_declared_length_in_a_small_stream_that_cannot_seek_does_not_allocate_it()
    {
        var body = new DatasetBytes()
            .Tag(0x0010, 0x0010).Ascii("PN").U16(4).Ascii("A^B ")
            .Tag(0x0011, 0x1010).Ascii("UT").U16(0).U32(3_000_000_000).Ascii("tiny")
            .ToArray();
        var stream = new NonSeekableStream(new MemoryStream(DatasetBytes.Part10("1.2.840.10008.1.2.1", body)));
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var ex = await Assert.ThrowsAsync<DicomReadException>(
            () => DicomReader.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(new DicomTag(0x0011, 0x1010), ex.Tag);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 * 1024 * 1024);
    }

    [Theory]
    [InlineData("malformed/3gb-bulk-data-truncated.dcm")]
    [InlineData("malformed/MR_truncated.dcm")]
    [InlineData("malformed/emri_small_jpeg_2k_lossless_too_short.dcm")]
    public async Task Sample_truncated_files_fail_with_a_clear_error(string sample)
    {
        var path = TestSamples.PathOf(sample);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var ex = await Assert.ThrowsAsync<DicomReadException>(
            () => DicomReader.ReadFileAsync(path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(ex.Offset > 0);
        Assert.NotNull(ex.Tag);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 32 * 1024 * 1024);
    }
}
