using Vna.Dicom;

namespace Vna.Core.Tests;

/// <summary>Bad input: a clear rejection with the right failure, and nothing left in studies/ or tmp/.</summary>
public sealed class StoreRejectionTests : IDisposable
{
    private readonly StoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Bytes_that_are_not_dicom_cannot_be_understood()
    {
        var junk = new byte[4000];
        new Random(42).NextBytes(junk);

        var result = await _h.StoreAsync(junk);

        AssertRejected(result, StoreFailure.CannotUnderstand);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task An_empty_input_cannot_be_understood()
    {
        var result = await _h.StoreAsync([]);

        AssertRejected(result, StoreFailure.CannotUnderstand);
        Assert.Contains("empty", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_file_truncated_inside_its_pixel_data_is_refused_with_offset_and_tag()
    {
        var bytes = await new TestObject().ToPart10Async();

        var result = await _h.StoreAsync(bytes[..^1000]);

        AssertRejected(result, StoreFailure.CannotUnderstand);
        Assert.Contains("(7FE0,0010)", result.Reason, StringComparison.Ordinal);
        Assert.Contains("at byte", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_file_truncated_in_its_header_is_refused()
    {
        var bytes = await new TestObject().ToPart10Async();

        var result = await _h.StoreAsync(bytes[..300]);

        AssertRejected(result, StoreFailure.CannotUnderstand);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task The_truncated_sample_is_refused()
    {
        var bytes = await File.ReadAllBytesAsync(TestSamples.PathOf("malformed/MR_truncated.dcm"), StoreHarness.Ct);

        var result = await _h.StoreAsync(bytes);

        AssertRejected(result, StoreFailure.CannotUnderstand);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task Missing_sop_instance_uid_is_an_invalid_uid()
    {
        var result = await _h.StoreAsync(await new TestObject { SopInstanceUid = null }.ToPart10Async());

        AssertRejected(result, StoreFailure.InvalidUid);
        Assert.Contains("SOP Instance UID (0008,0018) is missing", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task Missing_study_uid_is_an_invalid_uid()
    {
        var result = await _h.StoreAsync(await new TestObject { StudyInstanceUid = null }.ToPart10Async());

        AssertRejected(result, StoreFailure.InvalidUid);
        Assert.Contains("Study Instance UID", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Theory]
    [InlineData("1.2.abc")]
    [InlineData("1.2..3")]
    [InlineData("1.02.3")]
    [InlineData("../../etc")]
    public async Task A_malformed_series_uid_is_an_invalid_uid(string uid)
    {
        var result = await _h.StoreAsync(await new TestObject { SeriesInstanceUid = uid }.ToPart10Async());

        AssertRejected(result, StoreFailure.InvalidUid);
        Assert.Contains("Series Instance UID", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_sop_class_other_than_the_announced_one_does_not_match()
    {
        var obj = new TestObject();
        var request = StoreHarness.Request() with { ExpectedSopClassUid = "1.2.840.10008.5.1.4.1.1.4", ExpectedSopInstanceUid = obj.SopInstanceUid };

        var result = await _h.StoreAsync(await obj.ToPart10Async(), request);

        AssertRejected(result, StoreFailure.DataSetDoesNotMatch);
        Assert.Contains("SOP Class UID", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_bare_data_set_whose_sop_instance_differs_from_the_announced_one_does_not_match()
    {
        var obj = new TestObject();
        var request = StoreHarness.Request() with
        {
            BareDatasetSyntax = DicomTransferSyntax.ImplicitVRLittleEndian,
            ExpectedSopClassUid = obj.SopClassUid,
            ExpectedSopInstanceUid = "1.2.3.4.5",
        };

        var result = await _h.StoreAsync(await obj.ToBareAsync(DicomTransferSyntax.ImplicitVRLittleEndian), request);

        AssertRejected(result, StoreFailure.DataSetDoesNotMatch);
        Assert.Contains("1.2.3.4.5", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_study_other_than_the_requests_does_not_match()
    {
        var request = StoreHarness.Request() with { ExpectedStudyInstanceUid = "1.2.3.999" };

        var result = await _h.StoreAsync(await new TestObject().ToPart10Async(), request);

        AssertRejected(result, StoreFailure.DataSetDoesNotMatch);
        Assert.Contains("Study Instance UID", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task An_unknown_sop_class_is_refused_when_unknown_classes_are_not_allowed()
    {
        _h.Options.CurrentValue = new ArchiveOptions { AllowUnknownSopClasses = false };

        var result = await _h.StoreAsync(await new TestObject { SopClassUid = "1.3.46.670589.5.0.1.1" }.ToPart10Async());

        AssertRejected(result, StoreFailure.SopClassNotSupported);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task An_unknown_sop_class_listed_as_allowed_is_accepted()
    {
        var options = new ArchiveOptions { AllowUnknownSopClasses = false };
        options.AllowedPrivateSopClasses.Add("1.3.46.670589.5.0.1.1");
        _h.Options.CurrentValue = options;

        var result = await _h.StoreAsync(await new TestObject { SopClassUid = "1.3.46.670589.5.0.1.1" }.ToPart10Async());

        Assert.Equal(StoreStatus.Stored, result.Status);
    }

    [Fact]
    public async Task A_known_class_that_is_not_a_storage_class_is_refused()
    {
        // Verification SOP Class: in the dictionary, but nothing one stores.
        var result = await _h.StoreAsync(await new TestObject { SopClassUid = "1.2.840.10008.1.1" }.ToPart10Async());

        AssertRejected(result, StoreFailure.SopClassNotSupported);
        Assert.Contains("Verification", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task An_object_over_the_size_limit_is_refused_before_it_is_all_read()
    {
        _h.Options.CurrentValue = new ArchiveOptions { MaxObjectSize = 200_000 };
        var bytes = await new TestObject { Rows = 2000 }.ToPart10Async();
        var stream = new MemoryStream(bytes, writable: false);

        var result = await _h.Service.StoreAsync(stream, StoreHarness.Request(), StoreHarness.Ct);

        AssertRejected(result, StoreFailure.OutOfResources);
        Assert.Contains("200000", result.Reason, StringComparison.Ordinal);
        Assert.True(stream.Position < bytes.Length);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task An_unknown_department_is_not_authorized()
    {
        _h.Options.CurrentValue = new ArchiveOptions { DefaultDepartment = null };

        var result = await _h.StoreAsync(await new TestObject().ToPart10Async(), StoreHarness.Request("nowhere"));

        AssertRejected(result, StoreFailure.NotAuthorized);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_department_that_may_only_query_is_not_authorized_to_store()
    {
        var options = new ArchiveOptions();
        var viewers = new DepartmentOptions { Name = "viewers" };
        viewers.AllowedOperations.Add("query");
        options.Departments.Add(viewers);
        _h.Options.CurrentValue = options;

        var result = await _h.StoreAsync(await new TestObject().ToPart10Async(), StoreHarness.Request("viewers"));

        AssertRejected(result, StoreFailure.NotAuthorized);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task An_unreachable_coordinator_is_out_of_resources_and_a_resend_registers_the_kept_copy()
    {
        _h.Coordinator.Failure = new TimeoutException("index unreachable");
        var obj = new TestObject();
        var bytes = await obj.ToPart10Async();

        var result = await _h.StoreAsync(bytes);

        // Not acknowledged. The durable copy stays: the registration may have reached the index before the failure,
        // and deleting it could leave the index pointing at nothing.
        AssertRejected(result, StoreFailure.OutOfResources);
        Assert.Equal(1, _h.Coordinator.Calls);
        Assert.Empty(_h.Coordinator.Instances);
        var kept = Assert.Single(_h.StoredFiles());
        Assert.Contains(_h.Logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("TimeoutException", StringComparison.Ordinal));
        _h.AssertNotLoggedAboveDebug(obj.SopInstanceUid, obj.PatientId, obj.PatientName);

        // The sender tries again once the archive is back: the same content lands on the same copy and registers.
        _h.Coordinator.Failure = null;
        var again = await _h.StoreAsync(bytes);

        Assert.Equal(StoreStatus.Stored, again.Status);
        Assert.Equal(kept, again.Instance!.Location);
        Assert.Equal([kept], _h.StoredFiles());
    }

    [Fact]
    public async Task An_unreachable_coordinator_on_an_identical_resend_leaves_the_archived_copy_alone()
    {
        var bytes = await new TestObject().ToPart10Async();
        var first = await _h.StoreAsync(bytes);
        _h.Coordinator.Failure = new InvalidOperationException("index unreachable");

        var second = await _h.StoreAsync(bytes);

        AssertRejected(second, StoreFailure.OutOfResources);
        Assert.Equal([first.Instance!.Location], _h.StoredFiles());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(first), StoreHarness.Ct));
    }

    [Fact]
    public async Task Cancellation_leaves_nothing_behind()
    {
        using var cts = new CancellationTokenSource();
        var bytes = await new TestObject().ToPart10Async();
        var stream = new CancelAfterFirstReadStream(bytes, cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _h.Service.StoreAsync(stream, StoreHarness.Request(), cts.Token));

        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_rejection_after_a_good_store_disturbs_nothing()
    {
        var good = await _h.StoreAsync(await new TestObject().ToPart10Async());
        var bad = await _h.StoreAsync(await new TestObject { StudyInstanceUid = good.StudyInstanceUid, SopInstanceUid = "x" }.ToPart10Async());

        AssertRejected(bad, StoreFailure.InvalidUid);
        Assert.Equal([good.Instance!.Location], _h.StoredFiles());
        Assert.Empty(_h.TemporaryFiles());
        Assert.Single(_h.Coordinator.Instances);
    }

    private static void AssertRejected(StoreResult result, StoreFailure failure)
    {
        Assert.Equal(StoreStatus.Rejected, result.Status);
        Assert.False(result.IsSuccess);
        Assert.True(failure == result.Failure, $"Expected {failure}, got {result.Failure}: {result.Reason}");
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.Null(result.Instance);
    }

    /// <summary>Returns some bytes, then cancels the token (the caller went away mid-transfer).</summary>
    private sealed class CancelAfterFirstReadStream(byte[] bytes, CancellationTokenSource cts) : MemoryStream(bytes, writable: false)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
            await cts.CancelAsync();
            return read;
        }
    }
}
