namespace Vna.Core.Tests;

/// <summary>Failures of the hot tier and of the input: refused or propagated, never half-stored.</summary>
public sealed class HotTierFailureTests
{
    [Fact]
    public async Task A_full_disk_while_receiving_is_out_of_resources_and_leaves_nothing()
    {
        using var h = new StoreHarness(wrapHotStore: inner => new FullDiskHotStore(inner, 10_000));

        var result = await h.StoreAsync(await new TestObject().ToPart10Async());

        Assert.Equal(StoreStatus.Rejected, result.Status);
        Assert.Equal(StoreFailure.OutOfResources, result.Failure);
        Assert.Contains("No space left", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Coordinator.Calls);
        h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_full_disk_while_rewriting_a_coerced_object_is_out_of_resources_and_leaves_nothing()
    {
        var options = new ArchiveOptions();
        options.Departments.Add(new DepartmentOptions { Name = "radiology", IssuerOfPatientId = "HOSP_RAD" });
        var bytes = await new TestObject().ToPart10Async();

        // Room for the received object, not for the rewritten one next to it: the limit applies per write.
        using var h = new StoreHarness(options, inner => new FullDiskHotStore(inner, bytes.Length));
        var result = await h.StoreAsync(await new TestObject().ToPart10Async(), StoreHarness.Request("radiology"));

        Assert.Equal(StoreStatus.Rejected, result.Status);
        Assert.Equal(StoreFailure.OutOfResources, result.Failure);
        h.AssertNothingLeft();
    }

    [Fact]
    public async Task An_input_that_fails_while_read_propagates_and_leaves_nothing()
    {
        using var h = new StoreHarness();
        var stream = new FailingInputStream(await new TestObject().ToPart10Async());

        var error = await Assert.ThrowsAsync<IOException>(() => h.Service.StoreAsync(stream, StoreHarness.Request(), StoreHarness.Ct));

        Assert.Equal("connection reset", error.Message);
        Assert.Equal(0, h.Coordinator.Calls);
        h.AssertNothingLeft();
    }

    /// <summary>Gives a first chunk, then fails as a dropped connection does.</summary>
    private sealed class FailingInputStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        private int _reads;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (++_reads > 1)
            {
                throw new IOException("connection reset");
            }

            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
        }
    }
}
