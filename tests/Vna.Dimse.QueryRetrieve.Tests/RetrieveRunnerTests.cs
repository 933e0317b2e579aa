using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Dimse.QueryRetrieve.Tests;

/// <summary>The sub-operations of a retrieve with real Part 10 objects, a scripted content source and a recording target.</summary>
public sealed class RetrieveRunnerTests : IDisposable
{
    private static readonly string s_explicit = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
    private static readonly string s_implicit = DicomTransferSyntax.ImplicitVRLittleEndian.Uid;

    private readonly string _folder = Directory.CreateTempSubdirectory("vna-qr-runner-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Stored_syntax_goes_out_byte_for_byte_after_the_file_meta()
    {
        var (instances, files) = await WriteStudyAsync(3);
        var target = new RecordingTarget([new AcceptedContext(1, QrData.CtImageStorage, s_explicit)]);
        var pending = new List<(int Remaining, int Completed)>();

        var completion = await Runner(new FileContentSource(files)).RunAsync(instances, target, Pending(pending), CancellationToken.None, Ct);

        Assert.Equal(QueryRetrieveStatus.Success, completion.Status);
        Assert.Equal([(2, 1), (1, 2)], pending);
        for (var i = 0; i < 3; i++)
        {
            var file = await File.ReadAllBytesAsync(files[instances[i].SopInstanceUid], Ct);
            var sent = target.Sent[i];
            Assert.Equal(instances[i].SopInstanceUid, sent.SopInstanceUid);
            Assert.Equal(1, sent.ContextId);
            Assert.Equal(file.AsSpan(file.Length - sent.Bytes.Length).ToArray(), sent.Bytes);

            // What was sent is exactly the data set: it parses in the context's syntax and names the instance.
            using var dataset = await DicomReader.ReadDatasetAsync(new MemoryStream(sent.Bytes), DicomTransferSyntax.ExplicitVRLittleEndian, cancellationToken: Ct);
            Assert.Equal(instances[i].SopInstanceUid, dataset.Dataset.GetString(DicomTag.SOPInstanceUID));
        }
    }

    [Fact]
    public async Task An_instance_goes_out_in_implicit_vr_when_only_that_was_accepted_pixels_intact()
    {
        var (instances, files) = await WriteStudyAsync(1);
        var target = new RecordingTarget([new AcceptedContext(7, QrData.CtImageStorage, s_implicit)]);

        var completion = await Runner(new FileContentSource(files)).RunAsync(instances, target, Pending([]), CancellationToken.None, Ct);

        Assert.Equal(QueryRetrieveStatus.Success, completion.Status);
        using var original = await DicomReader.ReadFileAsync(files[instances[0].SopInstanceUid], cancellationToken: Ct);
        using var sent = await DicomReader.ReadDatasetAsync(new MemoryStream(target.Sent[0].Bytes), DicomTransferSyntax.ImplicitVRLittleEndian, cancellationToken: Ct);
        Assert.Equal(
            (await original.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(Ct)).ToArray(),
            (await sent.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(Ct)).ToArray());
        Assert.Equal(original.Dataset.GetString(DicomTag.PatientName), sent.Dataset.GetString(DicomTag.PatientName));
    }

    [Fact]
    public async Task Failures_are_counted_and_listed_and_the_rest_still_goes()
    {
        var (instances, files) = await WriteStudyAsync(3);
        File.Delete(files[instances[1].SopInstanceUid]);
        var target = new RecordingTarget([new AcceptedContext(1, QrData.CtImageStorage, s_explicit)]) { Statuses = { [instances[2].SopInstanceUid] = 0xA700 } };

        var completion = await Runner(new FileContentSource(files)).RunAsync(instances, target, Pending([]), CancellationToken.None, Ct);

        Assert.Equal(QueryRetrieveStatus.SubOperationsCompleteWithFailures, completion.Status);
        Assert.Equal((1, 2), (completion.Progress!.Completed, completion.Progress.Failed));
        Assert.Equal([instances[1].SopInstanceUid, instances[2].SopInstanceUid], completion.FailedSopInstanceUids);
    }

    [Fact]
    public async Task A_study_being_recalled_keeps_the_requester_informed_until_it_can_be_read()
    {
        var (instances, files) = await WriteStudyAsync(2);
        var source = new FileContentSource(files) { RecallPendingTimes = 3 };
        var target = new RecordingTarget([new AcceptedContext(1, QrData.CtImageStorage, s_explicit)]);
        var pending = new List<(int Remaining, int Completed)>();

        var completion = await Runner(source, recallLimit: TimeSpan.FromMinutes(1)).RunAsync(instances, target, Pending(pending), CancellationToken.None, Ct);

        Assert.Equal(QueryRetrieveStatus.Success, completion.Status);
        Assert.Equal(2, target.Sent.Count);
        Assert.Equal([(2, 0), (2, 0), (2, 0), (1, 1)], pending);
    }

    [Fact]
    public async Task A_recall_past_the_limit_fails_the_studys_instances_without_waiting_again()
    {
        var (instances, files) = await WriteStudyAsync(3);
        var source = new FileContentSource(files) { RecallPendingTimes = int.MaxValue };
        var target = new RecordingTarget([new AcceptedContext(1, QrData.CtImageStorage, s_explicit)]);

        var completion = await Runner(source, recallLimit: TimeSpan.FromMilliseconds(60)).RunAsync(instances, target, Pending([]), CancellationToken.None, Ct);

        Assert.Equal(QueryRetrieveStatus.OutOfResourcesSubOperations, completion.Status);
        Assert.Equal(3, completion.FailedSopInstanceUids.Count);
        Assert.Empty(target.Sent);
        Assert.True(source.Opens < 20, $"{source.Opens} attempts to open");
    }

    [Fact]
    public async Task A_broken_storage_association_fails_the_rest()
    {
        var (instances, files) = await WriteStudyAsync(3);
        var target = new RecordingTarget([new AcceptedContext(1, QrData.CtImageStorage, s_explicit)]) { ThrowOn = instances[1].SopInstanceUid };

        var completion = await Runner(new FileContentSource(files)).RunAsync(instances, target, Pending([]), CancellationToken.None, Ct);

        Assert.Equal(QueryRetrieveStatus.SubOperationsCompleteWithFailures, completion.Status);
        Assert.Equal((1, 2, 0), (completion.Progress!.Completed, completion.Progress.Failed, completion.Progress.Remaining));
    }

    [Fact]
    public async Task C_cancel_stops_before_the_next_instance()
    {
        var (instances, files) = await WriteStudyAsync(3);
        using var cancel = new CancellationTokenSource();
        var target = new RecordingTarget([new AcceptedContext(1, QrData.CtImageStorage, s_explicit)]) { AfterStore = cancel.Cancel };

        var completion = await Runner(new FileContentSource(files)).RunAsync(instances, target, Pending([]), cancel.Token, Ct);

        Assert.Equal(QueryRetrieveStatus.Cancel, completion.Status);
        Assert.Single(target.Sent);
        Assert.Equal(2, completion.Progress!.Remaining);
    }

    private static Func<SubOperationProgress, CancellationToken, ValueTask> Pending(List<(int, int)> log) => (p, _) =>
    {
        log.Add((p.Remaining, p.Completed));
        return ValueTask.CompletedTask;
    };

    private static RetrieveRunner Runner(IInstanceContentSource source, TimeSpan? recallLimit = null) => new(
        source,
        new PassThroughTranscoder(),
        Options.Create(new QueryRetrieveOptions { RecallWaitLimit = recallLimit ?? TimeSpan.FromMinutes(1), PendingInterval = TimeSpan.FromMilliseconds(10) }),
        TimeProvider.System,
        NullLogger<RetrieveRunner>.Instance);

    private async Task<(StoredInstance[] Instances, Dictionary<string, string> Files)> WriteStudyAsync(int count)
    {
        var synthetic = SyntheticCt.CreateStudy(1, 1, count).Select(s => s with { Rows = 64, Columns = 64 }).ToArray();
        var files = new Dictionary<string, string>();
        var instances = new List<StoredInstance>();
        foreach (var s in synthetic)
        {
            var path = Path.Combine(_folder, s.SopInstanceUid + ".dcm");
            await SyntheticCt.WriteAsync(s, path, Ct);
            files[s.SopInstanceUid!] = path;
            instances.Add(QrData.Instance(s.Study.StudyInstanceUid, s.SeriesInstanceUid!, s.SopInstanceUid, location: path));
        }

        return ([.. instances], files);
    }

    private sealed class FileContentSource(Dictionary<string, string> files) : IInstanceContentSource
    {
        public int RecallPendingTimes { get; init; }

        public int Opens { get; private set; }

        public Task<InstanceContent> OpenAsync(StoredInstance instance, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            Opens++;
            if (Opens <= RecallPendingTimes)
            {
                throw new StudyRecallPendingException(instance.StudyInstanceUid, maxWait);
            }

            var path = files[instance.SopInstanceUid];
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            return Task.FromResult(new InstanceContent(stream, stream.Length, instance.TransferSyntaxUid, path));
        }
    }

    private sealed class RecordingTarget(IReadOnlyList<AcceptedContext> accepted) : IStorageSubOperationTarget
    {
        public IReadOnlyList<AcceptedContext> AcceptedContexts => accepted;

        public List<(byte ContextId, string SopInstanceUid, byte[] Bytes)> Sent { get; } = [];

        public Dictionary<string, ushort> Statuses { get; } = [];

        public string? ThrowOn { get; init; }

        public Action? AfterStore { get; init; }

        public async Task<ushort> StoreAsync(AcceptedContext context, string sopClassUid, string sopInstanceUid, Stream dataset, CancellationToken cancellationToken)
        {
            if (sopInstanceUid == ThrowOn)
            {
                throw new IOException("Connection reset by peer.");
            }

            using var copy = new MemoryStream();
            await dataset.CopyToAsync(copy, cancellationToken);
            Sent.Add((context.Id, sopInstanceUid, copy.ToArray()));
            AfterStore?.Invoke();
            return Statuses.GetValueOrDefault(sopInstanceUid);
        }
    }
}
