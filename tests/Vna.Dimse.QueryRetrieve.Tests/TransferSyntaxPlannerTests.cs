using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

public sealed class TransferSyntaxPlannerTests
{
    private static readonly string s_explicit = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
    private static readonly string s_implicit = DicomTransferSyntax.ImplicitVRLittleEndian.Uid;
    private static readonly string s_jpegLs = DicomTransferSyntax.JpegLSLossless.Uid;
    private static readonly string s_j2k = DicomTransferSyntax.Jpeg2000Lossless.Uid;

    private readonly TransferSyntaxPlanner _planner = new(new NativeSyntaxTranscoder(new PassThroughTranscoder()));

    [Fact]
    public void Proposals_are_the_stored_syntaxes_then_the_uncompressed_ones_that_can_be_produced()
    {
        var study = QrData.Uid();
        var series = QrData.Uid();
        var instances = new[]
        {
            QrData.Instance(study, series, transferSyntax: s_explicit),
            QrData.Instance(study, series, transferSyntax: s_explicit),
            QrData.Instance(study, series, transferSyntax: s_jpegLs, attributes: a => a with { SopClassUid = QrData.MrImageStorage }),
        };

        var proposed = _planner.Propose(instances);

        Assert.Equal(
            [
                new ProposedContext(QrData.CtImageStorage, s_explicit),
                new ProposedContext(QrData.MrImageStorage, s_jpegLs),
                new ProposedContext(QrData.CtImageStorage, s_implicit),
            ],
            proposed);
    }

    [Fact]
    public void With_a_codec_the_compressed_instances_are_offered_uncompressed_too()
    {
        var planner = new TransferSyntaxPlanner(new NativeSyntaxTranscoder(new FakeCodec()));
        var proposed = planner.Propose([QrData.Instance(QrData.Uid(), QrData.Uid(), transferSyntax: s_jpegLs)]);

        Assert.Equal([s_jpegLs, s_explicit, s_implicit], proposed.Select(p => p.TransferSyntaxUid));
    }

    [Fact]
    public void At_most_128_contexts_are_proposed()
    {
        var instances = Enumerable.Range(0, 200).Select(i => QrData.Instance(QrData.Uid(), QrData.Uid(), attributes: a => a with { SopClassUid = "1.2.3." + i }));

        Assert.Equal(128, _planner.Propose(instances).Count);
    }

    [Fact]
    public void The_stored_syntax_is_chosen_when_accepted()
    {
        var instance = QrData.Instance(QrData.Uid(), QrData.Uid(), transferSyntax: s_explicit);
        AcceptedContext[] accepted = [new(1, QrData.CtImageStorage, s_implicit), new(3, QrData.CtImageStorage, s_explicit)];

        var plan = _planner.Choose(instance, accepted);

        Assert.Equal(new SendPlan(accepted[1], Transcode: false), plan);
    }

    [Fact]
    public void A_native_instance_goes_out_in_another_native_syntax_without_a_codec()
    {
        var instance = QrData.Instance(QrData.Uid(), QrData.Uid(), transferSyntax: s_explicit);
        AcceptedContext[] accepted = [new(5, QrData.CtImageStorage, s_implicit)];

        Assert.Equal(new SendPlan(accepted[0], Transcode: true), _planner.Choose(instance, accepted));
    }

    [Fact]
    public void A_compressed_instance_without_a_codec_has_no_plan_when_only_uncompressed_was_accepted()
    {
        var instance = QrData.Instance(QrData.Uid(), QrData.Uid(), transferSyntax: s_jpegLs);
        AcceptedContext[] accepted = [new(1, QrData.CtImageStorage, s_explicit), new(3, QrData.CtImageStorage, s_implicit)];

        Assert.Null(_planner.Choose(instance, accepted));
    }

    [Fact]
    public void Other_sop_classes_contexts_are_never_used()
    {
        var instance = QrData.Instance(QrData.Uid(), QrData.Uid(), transferSyntax: s_explicit);

        Assert.Null(_planner.Choose(instance, [new AcceptedContext(1, QrData.MrImageStorage, s_explicit)]));
    }

    [Fact]
    public void Lossless_targets_are_preferred_to_lossy_ones()
    {
        var planner = new TransferSyntaxPlanner(new NativeSyntaxTranscoder(new FakeCodec()));
        var instance = QrData.Instance(QrData.Uid(), QrData.Uid(), transferSyntax: s_jpegLs);
        AcceptedContext[] accepted =
        [
            new(1, QrData.CtImageStorage, DicomTransferSyntax.JpegBaseline.Uid),
            new(3, QrData.CtImageStorage, s_j2k),
            new(5, QrData.CtImageStorage, s_implicit),
        ];

        Assert.Equal(5, planner.Choose(instance, accepted)!.Context.Id);
        Assert.Equal(3, planner.Choose(instance, accepted[..2])!.Context.Id);
    }

    /// <summary>A transcoder that claims every conversion (the planner only asks, never transcodes here).</summary>
    private sealed class FakeCodec : IInstanceTranscoder
    {
        public bool CanTranscode(string fromTransferSyntaxUid, string toTransferSyntaxUid) => true;

        public Task<TranscodeResult> TranscodeAsync(Stream source, string targetTransferSyntaxUid, Stream destination, TranscodeOptions? options, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
