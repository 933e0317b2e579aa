using System.Text;
using Vna.Cli.Commands;
using Vna.Testing;

namespace Vna.Cli.Tests;

/// <summary>
/// <c>vna import</c>, run in-process through <see cref="Program.RunAsync"/> against the real archive server (a child process
/// on a throwaway database, <see cref="ImportServerFixture"/>) with synthetic CT files, and against a scripted stand-in
/// (<see cref="StubArchive"/>) for what a healthy server does not do: answer 503 or not at all.
/// </summary>
public sealed class ImportCommandTests(ImportServerFixture fixture) : IClassFixture<ImportServerFixture>, IDisposable
{
    private readonly ScratchFolder _folder = new("cli-import-files");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_folder_is_stored_and_every_file_is_indexed_and_intact()
    {
        fixture.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var folder = _folder.Sub("study");
        var files = await WriteStudyAsync(folder, number: 1, seriesCount: 2, perSeries: 6, ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "DICOMDIR"), "skipped", ct);

        var (exit, output, error) = await RunAsync("import", folder, "--server", fixture.Server.BaseAddress.AbsoluteUri, "--parallel", "4", "--plain");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("Imported 12 files into " + fixture.Server.BaseAddress.AbsoluteUri, output, StringComparison.Ordinal);
        Assert.Matches(@"stored\s+12\n", output);
        Assert.Matches(@"rejected\s+0\n", output);
        Assert.Matches(@"skipped\s+1\s+\(DICOMDIR\)", output);
        Assert.Equal(12, output.Split('\n').Count(l => l.StartsWith("stored ", StringComparison.Ordinal)));
        foreach (var (uid, sha) in files)
        {
            var placement = await ArchiveHttp.GetInstanceAsync(fixture.Http, fixture.Server.BaseAddress, uid, ct);
            Assert.NotNull(placement);
            Assert.Equal(sha, placement.Sha256);
            Assert.Equal(sha, await HotTier.Sha256OfFileAsync(HotTier.PathOf(fixture.DataDirectory, placement.Location), ct));
        }
    }

    [Fact]
    public async Task An_object_larger_than_30_MB_is_streamed_and_stored()
    {
        fixture.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_folder.Path, "large.dcm");
        var instance = SyntheticCt.CreateStudy(6, 1, 1)[0] with { Rows = 4096, Columns = 4096 };
        var sha = await SyntheticCt.WriteAsync(instance, file, ct);
        Assert.True(new FileInfo(file).Length > 30_000_000, "the object must exceed Kestrel's default request body limit");

        var (exit, output, error) = await RunAsync("import", file, "--server", fixture.Server.BaseAddress.AbsoluteUri, "--plain");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        var placement = await ArchiveHttp.GetInstanceAsync(fixture.Http, fixture.Server.BaseAddress, instance.SopInstanceUid!, ct);
        Assert.NotNull(placement);
        Assert.Equal(sha, placement.Sha256);
        Assert.Equal(new FileInfo(file).Length, placement.Size);
        Assert.Equal(sha, await HotTier.Sha256OfFileAsync(HotTier.PathOf(fixture.DataDirectory, placement.Location), ct));
    }

    [Fact]
    public async Task Files_sent_again_are_duplicates()
    {
        fixture.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var folder = _folder.Sub("again");
        await WriteStudyAsync(folder, number: 2, seriesCount: 1, perSeries: 5, ct);
        var server = fixture.Server.BaseAddress.AbsoluteUri;

        var first = await RunAsync("import", folder, "--server", server, "--plain");
        var second = await RunAsync("import", folder, "--server", server, "--plain", "-j", "2");

        Assert.Equal(0, first.Exit);
        Assert.True(second.Exit == 0, second.Output + second.Error);
        Assert.Matches(@"stored\s+0\n", second.Output);
        Assert.Matches(@"duplicates\s+5\n", second.Output);
        Assert.Equal(5, second.Output.Split('\n').Count(l => l.StartsWith("duplicate ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Rejected_files_are_grouped_by_reason_the_others_stored_and_the_exit_code_is_3()
    {
        fixture.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var folder = _folder.Sub("mixed");
        var study = SyntheticCt.CreateStudy(3, 1, 3);
        await SyntheticCt.WriteAsync(study[0], Path.Combine(folder, "a-good.dcm"), ct);
        await SyntheticCt.WriteAsync(study[1], Path.Combine(folder, "b-good.dcm"), ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "c-notes.txt"), "not a DICOM file", ct);
        var whole = await SyntheticCt.EncodeAsync(study[2], ct);
        await File.WriteAllBytesAsync(Path.Combine(folder, "d-truncated.dcm"), whole[..(whole.Length / 3)], ct);
        await SyntheticCt.WriteAsync(study[0] with { PixelSeed = 424242 }, Path.Combine(folder, "e-conflict.dcm"), ct);
        var missing = Path.Combine(_folder.Path, "no-such-folder");

        var (exit, output, error) = await RunAsync("import", folder, missing, "--server", fixture.Server.BaseAddress.AbsoluteUri, "--parallel", "1", "--plain");

        Assert.True(exit == 3, $"exit {exit}\n{output}\n{error}");
        Assert.Matches(@"stored\s+2\n", output);
        Assert.Matches(@"rejected\s+4\n", output);
        Assert.Contains("Rejected, CannotUnderstand (2):", output, StringComparison.Ordinal);
        Assert.Contains("Rejected, Conflict (1):", output, StringComparison.Ordinal);
        Assert.Contains("Rejected, NotFound (1):", output, StringComparison.Ordinal);
        Assert.Contains("e-conflict.dcm: SOP Instance UID " + study[0].SopInstanceUid + " is already archived with different content", output, StringComparison.Ordinal);
        Assert.Contains("rejected   " + Path.Combine(folder, "d-truncated.dcm") + ": CannotUnderstand: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_department_is_refused_by_the_archive()
    {
        fixture.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_folder.Path, "dept.dcm");
        await SyntheticCt.WriteAsync(SyntheticCt.CreateStudy(4, 1, 1)[0], file, ct);

        var (exit, output, _) = await RunAsync("import", file, "--server", fixture.Server.BaseAddress.AbsoluteUri, "--department", "no-such-department", "--plain");

        Assert.Equal(3, exit);
        Assert.Contains("(department 'no-such-department')", output, StringComparison.Ordinal);
        Assert.Contains("Rejected, NotAuthorized (1):", output, StringComparison.Ordinal);
        Assert.Contains("The department 'no-such-department' is not configured.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_archive_exits_1_before_sending_anything()
    {
        var file = Path.Combine(_folder.Path, "unsent.dcm");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var nobody = $"http://127.0.0.1:{FreePorts.Next()}";

        var (exit, output, error) = await RunAsync("import", file, "--server", nobody, "--plain");

        Assert.Equal(1, exit);
        Assert.Contains("cannot reach the archive at " + nobody, error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task A_503_a_500_or_no_answer_is_a_rejection_as_archive_unavailable_and_files_are_streamed_with_their_length()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = _folder.Sub("stub");
        var study = SyntheticCt.CreateStudy(5, 1, 4);
        for (var i = 0; i < study.Count; i++)
        {
            await SyntheticCt.WriteAsync(study[i], Path.Combine(folder, $"{i}.dcm"), ct);
        }

        using var stub = new StubArchive(503, 0, 500, 200);

        var (exit, output, error) = await RunAsync("import", folder, "--server", stub.Url.AbsoluteUri, "--parallel", "1", "--plain");

        Assert.True(exit == 3, $"exit {exit}\n{output}\n{error}");
        Assert.True(output.Contains("Rejected, archive unavailable (3):", StringComparison.Ordinal), output);
        Assert.Contains("0.dcm: scripted answer 503 (HTTP 503; not acknowledged)", output, StringComparison.Ordinal);
        Assert.Matches(@"1\.dcm: no answer \(.+\); not acknowledged", output);
        Assert.Contains("2.dcm: scripted answer 500 (HTTP 500; not acknowledged)", output, StringComparison.Ordinal);
        Assert.Matches(@"stored\s+1\n", output);
        // Streamed from the file with its length announced (not chunked), whole; one at a time, in path order.
        var lengths = Enumerable.Range(0, 4).Select(i => new FileInfo(Path.Combine(folder, $"{i}.dcm")).Length).ToList();
        Assert.Equal(lengths.Select(l => (l, false, l)), stub.Posts);
    }

    [Theory]
    [InlineData("--server", "ftp://example.org")]
    [InlineData("--server", "not a url")]
    [InlineData("--parallel", "0")]
    [InlineData("--parallel", "65")]
    public async Task Usage_errors_exit_1(string option, string value)
    {
        var (exit, _, error) = await RunAsync("import", _folder.Path, option, value);

        Assert.Equal(1, exit);
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://archive:8080", "http://archive:8080/")]
    [InlineData("http://archive:8080/vna", "http://archive:8080/vna/")]
    [InlineData("https://archive/vna/", "https://archive/vna/")]
    public void The_server_url_keeps_its_path_prefix(string given, string expected)
    {
        Assert.Equal(new Uri(expected), ImportCommand.ParseServer(given));
    }

    private static async Task<List<(string Uid, string Sha256)>> WriteStudyAsync(string folder, int number, int seriesCount, int perSeries, CancellationToken ct)
    {
        var files = new List<(string, string)>();
        foreach (var instance in SyntheticCt.CreateStudy(number, seriesCount, perSeries))
        {
            var sha = await SyntheticCt.WriteAsync(instance, Path.Combine(folder, $"s{instance.SeriesNumber}-i{instance.InstanceNumber:D3}.dcm"), ct);
            files.Add((instance.SopInstanceUid!, sha));
        }

        return files;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new MemoryStream();
        await using var error = new StringWriter();
        var exit = await Program.RunAsync(args, new CliConsole(output, error), TestContext.Current.CancellationToken);
        return (exit, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
