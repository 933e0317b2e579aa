using Vna.Dicom;

namespace Vna.Core.Tests;

/// <summary>The Store feature's success paths: durable files, checksums, File Meta Information for bare data sets, re-sends.</summary>
public sealed class StoreServiceTests : IDisposable
{
    private readonly StoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_part10_file_is_stored_as_received_registered_and_its_checksum_is_right()
    {
        var obj = new TestObject();
        var bytes = await obj.ToPart10Async();

        var result = await _h.StoreAsync(bytes);

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.True(result.IsSuccess);
        Assert.Equal(StoreFailure.None, result.Failure);
        Assert.False(result.Coerced);
        Assert.Equal(obj.SopInstanceUid, result.SopInstanceUid);
        Assert.Equal(obj.StudyInstanceUid, result.StudyInstanceUid);
        Assert.Equal(obj.SeriesInstanceUid, result.SeriesInstanceUid);
        Assert.Equal(TestObject.CtImageStorage, result.SopClassUid);

        var instance = result.Instance!;
        Assert.Equal(StorageTier.Hot, instance.Tier);
        Assert.Equal($"studies/{obj.StudyInstanceUid}/{obj.SeriesInstanceUid}/{obj.SopInstanceUid}.{instance.Sha256[..16]}.dcm", instance.Location);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(result), StoreHarness.Ct));
        Assert.Equal(StoreHarness.Sha256Of(_h.FullPath(result)), instance.Sha256);
        Assert.Equal(bytes.Length, instance.Size);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, instance.TransferSyntaxUid);
        Assert.Equal("default", instance.SourceDepartment);
        Assert.Equal([instance.Location], _h.StoredFiles());
        Assert.Empty(_h.TemporaryFiles());

        Assert.Same(instance, _h.Coordinator.Find(obj.SopInstanceUid!));
        var attributes = instance.Attributes;
        Assert.Equal("12345", attributes.PatientId);
        Assert.Equal("Doe^Jane", attributes.PatientName);
        Assert.Equal("CT", attributes.Modality);
        Assert.Equal("20240102", attributes.StudyDate);
        Assert.Equal("3", attributes.SeriesNumber);
        Assert.Equal("ISO_IR 100", attributes.SpecificCharacterSet);
        Assert.Empty(_h.Audit.Records);
        _h.AssertNotLoggedAboveDebug(obj.SopInstanceUid, obj.StudyInstanceUid, obj.PatientName, obj.PatientId);
    }

    [Fact]
    public async Task A_bare_data_set_with_announced_uids_is_stored_with_file_meta_and_its_bytes_unchanged()
    {
        var obj = new TestObject();
        var bare = await obj.ToBareAsync(DicomTransferSyntax.ImplicitVRLittleEndian);
        var request = StoreHarness.Request() with
        {
            BareDatasetSyntax = DicomTransferSyntax.ImplicitVRLittleEndian,
            ExpectedSopClassUid = obj.SopClassUid,
            ExpectedSopInstanceUid = obj.SopInstanceUid,
        };

        var result = await _h.StoreAsync(bare, request);

        Assert.Equal(StoreStatus.Stored, result.Status);
        await AssertPart10WithMetaAsync(result, obj, DicomTransferSyntax.ImplicitVRLittleEndian, bare);
    }

    [Fact]
    public async Task A_bare_data_set_without_announced_uids_gets_its_meta_from_the_data_set()
    {
        var obj = new TestObject();
        var bare = await obj.ToBareAsync(DicomTransferSyntax.ExplicitVRLittleEndian);
        var request = StoreHarness.Request() with { BareDatasetSyntax = DicomTransferSyntax.ExplicitVRLittleEndian };

        var result = await _h.StoreAsync(bare, request);

        Assert.Equal(StoreStatus.Stored, result.Status);
        await AssertPart10WithMetaAsync(result, obj, DicomTransferSyntax.ExplicitVRLittleEndian, bare);
        Assert.Single(_h.StoredFiles());
        Assert.Empty(_h.TemporaryFiles());
    }

    [Fact]
    public async Task A_deflated_bare_data_set_is_stored_with_meta_and_reads_back()
    {
        var obj = new TestObject();
        var syntax = DicomTransferSyntax.DeflatedExplicitVRLittleEndian;
        var bare = await obj.ToBareAsync(syntax);
        var request = StoreHarness.Request() with
        {
            BareDatasetSyntax = syntax,
            ExpectedSopClassUid = obj.SopClassUid,
            ExpectedSopInstanceUid = obj.SopInstanceUid,
        };

        var result = await _h.StoreAsync(bare, request);

        Assert.Equal(StoreStatus.Stored, result.Status);
        await AssertPart10WithMetaAsync(result, obj, syntax, bare);
        Assert.Empty(_h.TemporaryFiles());
    }

    [Fact]
    public async Task An_identical_resend_is_an_idempotent_duplicate_with_one_file()
    {
        var bytes = await new TestObject().ToPart10Async();
        var first = await _h.StoreAsync(bytes);

        var second = await _h.StoreAsync(bytes);

        Assert.Equal(StoreStatus.Stored, first.Status);
        Assert.Equal(StoreStatus.Duplicate, second.Status);
        Assert.True(second.IsSuccess);
        Assert.Equal(first.Instance!.Location, second.Instance!.Location);
        Assert.Equal([first.Instance.Location], _h.StoredFiles());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(first), StoreHarness.Ct));
        Assert.Empty(_h.TemporaryFiles());
        Assert.Empty(_h.Audit.Records);
        Assert.DoesNotContain(_h.Events, e => e.StartsWith("delete:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_without_file_meta_is_stored_with_meta_added_and_a_warning()
    {
        var obj = new TestObject();
        var bare = await obj.ToBareAsync(DicomTransferSyntax.ExplicitVRLittleEndian);

        var result = await _h.StoreAsync(bare);

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.Contains(result.Warnings, w => w.Contains("no File Meta Information", StringComparison.Ordinal));
        using var stored = await _h.ReadStoredAsync(result);
        Assert.True(stored.HasPreamble);
        Assert.True(stored.HasFileMetaInformation);
        Assert.Equal(obj.SopInstanceUid, stored.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID));
        Assert.Equal(StoreHarness.Sha256Of(_h.FullPath(result)), result.Instance!.Sha256);
    }

    [Fact]
    public async Task File_meta_that_names_another_instance_is_corrected_from_the_data_set_with_a_warning()
    {
        var obj = new TestObject();
        var ds = obj.ToDataset();
        var meta = DicomWriter.CreateFileMetaInformation(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, "1.2.3.4.5.6");
        using var stream = new MemoryStream();
        await DicomWriter.WriteFileAsync(stream, new DicomFile(meta, ds, DicomTransferSyntax.ExplicitVRLittleEndian), null, StoreHarness.Ct);

        var result = await _h.StoreAsync(stream.ToArray());

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.False(result.Coerced);
        Assert.Contains(result.Warnings, w => w.Contains("1.2.3.4.5.6", StringComparison.Ordinal) && w.Contains("corrected", StringComparison.Ordinal));
        using var stored = await _h.ReadStoredAsync(result);
        Assert.Equal(obj.SopInstanceUid, stored.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID));
        Assert.Equal(StoreHarness.Sha256Of(_h.FullPath(result)), result.Instance!.Sha256);
    }

    [Fact]
    public async Task Uids_encoded_as_un_are_read_and_indexed()
    {
        var bytes = await File.ReadAllBytesAsync(TestSamples.PathOf("malformed/explicit_VR-UN.dcm"), StoreHarness.Ct);

        var result = await _h.StoreAsync(bytes);

        Assert.True(result.Status == StoreStatus.Stored, result.Reason);
        var attributes = result.Instance!.Attributes;
        Assert.Equal(result.StudyInstanceUid, attributes.StudyInstanceUid);
        Assert.Equal(result.SopInstanceUid, attributes.SopInstanceUid);
        Assert.True(DicomUid.IsValid(attributes.SeriesInstanceUid));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(result), StoreHarness.Ct));
    }

    [Theory]
    [InlineData("transfer-syntax/explicit-vr-le/CT1_UNC.explicit_little_endian.dcm")]
    [InlineData("transfer-syntax/jpeg2000-lossless/CT1_J2KR.dcm")]
    public async Task Sample_files_are_stored_byte_for_byte(string sample)
    {
        var path = TestSamples.PathOf(sample);
        var bytes = await File.ReadAllBytesAsync(path, StoreHarness.Ct);

        var result = await _h.StoreAsync(bytes);

        Assert.True(result.Status == StoreStatus.Stored, result.Reason);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(result), StoreHarness.Ct));
    }

    [Fact]
    public async Task A_large_object_is_streamed_and_its_pixel_data_kept_by_reference()
    {
        // 2,000 rows: 800 KB of pixel data, far above the copy buffer.
        var obj = new TestObject { Rows = 2000 };
        var bytes = await obj.ToPart10Async();

        var result = await _h.StoreAsync(bytes);

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(result), StoreHarness.Ct));
    }

    private async Task AssertPart10WithMetaAsync(StoreResult result, TestObject obj, DicomTransferSyntax syntax, byte[] bare)
    {
        var path = _h.FullPath(result);
        Assert.Equal(StoreHarness.Sha256Of(path), result.Instance!.Sha256);
        Assert.Equal(new FileInfo(path).Length, result.Instance.Size);
        Assert.Equal(syntax.Uid, result.Instance.TransferSyntaxUid);

        using var stored = await DicomReader.ReadFileAsync(path, null, StoreHarness.Ct);
        Assert.True(stored.HasPreamble);
        Assert.True(stored.HasFileMetaInformation);
        Assert.Equal(syntax, stored.TransferSyntax);
        Assert.Equal(obj.SopClassUid, stored.FileMetaInformation.GetString(DicomTag.MediaStorageSOPClassUID));
        Assert.Equal(obj.SopInstanceUid, stored.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID));
        Assert.Equal(syntax.Uid, stored.FileMetaInformation.GetString(DicomTag.TransferSyntaxUID));
        Assert.Equal(DicomWriter.ImplementationClassUid, stored.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0012)));
        Assert.Equal("TEST_AE", stored.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0016)));
        Assert.Equal(obj.SopInstanceUid, stored.Dataset.GetString(DicomTag.SOPInstanceUID));
        Assert.Equal(obj.PatientName, stored.Dataset.GetString(DicomTag.PatientName));

        // The data set is stored exactly as it came: the file ends with the received bytes.
        var file = await File.ReadAllBytesAsync(path, StoreHarness.Ct);
        Assert.True(file.AsSpan().EndsWith(bare), "The stored file must end with the data set as received.");
    }
}
