namespace Vna.Core.Tests;

/// <summary>Same SOP Instance UID, different content: reject, keep the first, or replace; always reported and audited.</summary>
public sealed class DuplicatePolicyTests : IDisposable
{
    private readonly StoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Policy_reject_refuses_the_new_copy_audits_and_keeps_the_first()
    {
        _h.Coordinator.Policy = DuplicatePolicy.Reject;
        var (first, firstBytes, secondBytes) = await TwoVersionsAsync();

        var second = await _h.StoreAsync(secondBytes);

        Assert.Equal(StoreStatus.Rejected, second.Status);
        Assert.False(second.IsSuccess);
        Assert.Equal(StoreFailure.Conflict, second.Failure);
        Assert.Contains("different content", second.Reason, StringComparison.Ordinal);
        Assert.Null(second.Instance);
        var audit = Assert.Single(_h.Audit.Records);
        Assert.Equal("duplicate-rejected", audit.Action);
        Assert.Equal("TEST_AE", audit.Actor);
        Assert.Equal(first.SopInstanceUid, audit.SopInstanceUid);
        Assert.Equal(first.StudyInstanceUid, audit.StudyInstanceUid);
        AssertAuditedBeforeDeleted();
        await AssertOnlyAsync(first, firstBytes);
    }

    [Fact]
    public async Task Policy_keep_first_reports_success_with_a_warning_audits_and_discards_the_new_copy()
    {
        _h.Coordinator.Policy = DuplicatePolicy.KeepFirst;
        var (first, firstBytes, secondBytes) = await TwoVersionsAsync();

        var second = await _h.StoreAsync(secondBytes);

        Assert.Equal(StoreStatus.KeptFirst, second.Status);
        Assert.True(second.IsSuccess);
        Assert.Contains(second.Warnings, w => w.Contains("was kept", StringComparison.Ordinal));
        Assert.Equal("duplicate-kept-first", Assert.Single(_h.Audit.Records).Action);
        AssertAuditedBeforeDeleted();
        await AssertOnlyAsync(first, firstBytes);
        Assert.Equal(first.Instance!.Sha256, _h.Coordinator.Find(first.SopInstanceUid!)!.Sha256);
    }

    [Fact]
    public async Task Policy_replace_audits_while_the_old_copy_still_exists_then_deletes_it()
    {
        _h.Coordinator.Policy = DuplicatePolicy.Replace;
        var (first, _, secondBytes) = await TwoVersionsAsync();
        var oldPath = _h.FullPath(first);
        var oldExistedWhenAudited = false;
        _h.Audit.OnWrite = record =>
        {
            _h.Events.Add($"audit:{record.Action}");
            oldExistedWhenAudited = File.Exists(oldPath);
        };

        var second = await _h.StoreAsync(secondBytes);

        Assert.Equal(StoreStatus.Replaced, second.Status);
        Assert.True(second.IsSuccess);
        var audit = Assert.Single(_h.Audit.Records);
        Assert.Equal("instance-replaced", audit.Action);
        Assert.Contains(first.Instance!.Location, audit.Details, StringComparison.Ordinal);
        Assert.True(oldExistedWhenAudited);
        Assert.Equal(["audit:instance-replaced", $"delete:{first.Instance.Location}"], _h.Events);
        Assert.False(File.Exists(oldPath));
        await AssertOnlyAsync(second, secondBytes);
        Assert.Equal(second.Instance!.Location, _h.Coordinator.Find(first.SopInstanceUid!)!.Location);
    }

    [Fact]
    public async Task Replace_keeps_the_old_copy_when_the_audit_record_cannot_be_written()
    {
        _h.Coordinator.Policy = DuplicatePolicy.Replace;
        var (first, _, secondBytes) = await TwoVersionsAsync();
        _h.Audit.OnWrite = _ => throw new IOException("audit store down");

        var second = await _h.StoreAsync(secondBytes);

        Assert.Equal(StoreStatus.Replaced, second.Status);
        Assert.True(File.Exists(_h.FullPath(first)));
        Assert.True(File.Exists(_h.FullPath(second)));
    }

    private async Task<(StoreResult First, byte[] FirstBytes, byte[] SecondBytes)> TwoVersionsAsync()
    {
        var obj = new TestObject();
        var firstBytes = await obj.ToPart10Async();
        var secondBytes = await (obj with { PixelSeed = 11 }).ToPart10Async();
        var first = await _h.StoreAsync(firstBytes);
        Assert.Equal(StoreStatus.Stored, first.Status);
        _h.Events.Clear();
        return (first, firstBytes, secondBytes);
    }

    private void AssertAuditedBeforeDeleted()
    {
        Assert.Equal(2, _h.Events.Count);
        Assert.StartsWith("audit:", _h.Events[0], StringComparison.Ordinal);
        Assert.StartsWith("delete:", _h.Events[1], StringComparison.Ordinal);
    }

    private async Task AssertOnlyAsync(StoreResult kept, byte[] bytes)
    {
        Assert.Equal([kept.Instance!.Location], _h.StoredFiles());
        Assert.Empty(_h.TemporaryFiles());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(kept), StoreHarness.Ct));
    }
}
