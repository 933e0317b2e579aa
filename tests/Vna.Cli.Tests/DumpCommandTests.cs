using System.Text;
using System.Text.Json;
using Vna.Cli.Commands;

namespace Vna.Cli.Tests;

/// <summary><c>vna dump</c>, run in-process through <see cref="Program.RunAsync"/> on copies of a few samples.</summary>
public sealed class DumpCommandTests : IDisposable
{
    private const string Explicit = "transfer-syntax/explicit-vr-le/CT1_UNC.explicit_little_endian.dcm";
    private const string Charset = "charset/chrX1.dcm";
    private const string Jpeg2000 = "transfer-syntax/jpeg2000-lossless/CT1_J2KR.dcm";
    private const string BigEndian = "transfer-syntax/explicit-vr-be/CT1_UNC.explicit_big_endian.dcm";
    private const string Truncated = "malformed/MR_truncated.dcm";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vna-dump-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Json_prints_one_object_per_file_in_path_order_and_exits_0()
    {
        var b = Copy(Explicit, "b/ct.dcm");
        var a = Copy(Charset, "a.dcm");
        var c = Copy(Jpeg2000, "b/sub/j2k.dcm");

        var (exit, output, error) = await RunAsync("dump", "--json", _folder);

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var objects = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([a, b, c], objects.Select(o => o.GetProperty("path").GetString()));
        foreach (var o in objects)
        {
            Assert.StartsWith("1.2.840.10008.1.2", o.GetProperty("transferSyntax").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Object, o.GetProperty("meta").ValueKind);
            Assert.Equal(JsonValueKind.Object, o.GetProperty("dataset").ValueKind);
            Assert.Equal(JsonValueKind.Array, o.GetProperty("warnings").ValueKind);
        }

        var name = objects[0].GetProperty("dataset").GetProperty("00100010");
        Assert.Equal("PN", name.GetProperty("vr").GetString());
        Assert.Equal("Wang^XiaoDong", name.GetProperty("Value")[0].GetProperty("Alphabetic").GetString());
        Assert.Equal("王^小東", name.GetProperty("Value")[0].GetProperty("Ideographic").GetString());
    }

    [Fact]
    public async Task Json_gives_values_kept_in_the_file_as_file_uris_with_offset_and_length()
    {
        var ct = Copy(Explicit, "ct.dcm");
        var j2k = Copy(Jpeg2000, "j2k.dcm");

        var (exit, output, _) = await RunAsync("dump", "--json", ct, j2k);

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        // Native pixel data: the URI addresses exactly the value (512 x 512 x 16 bits).
        var (path, offset, length) = ParseUri(lines[0].GetProperty("dataset").GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!);
        Assert.Equal(Path.GetFullPath(ct), path);
        Assert.Equal(512 * 512 * 2, length);
        Assert.True(offset + length <= new FileInfo(ct).Length);

        // Encapsulated pixel data: the whole value field, from the offset table item to the sequence delimiter.
        (path, offset, length) = ParseUri(lines[1].GetProperty("dataset").GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal<byte>([0xFE, 0xFF, 0x00, 0xE0], bytes.AsSpan((int)offset, 4).ToArray());
        Assert.Equal<byte>([0xFE, 0xFF, 0xDD, 0xE0], bytes.AsSpan((int)(offset + length), 4).ToArray());

        // Small binary values held in memory are inline.
        Assert.Equal("AAE=", lines[0].GetProperty("meta").GetProperty("00020001").GetProperty("InlineBinary").GetString());
    }

    [Fact]
    public async Task A_malformed_file_gives_an_error_line_with_offset_and_tag_and_exit_code_2()
    {
        var good = Copy(Explicit, "1.dcm");
        var bad = Copy(Truncated, "2.dcm");

        var (exit, output, _) = await RunAsync("dump", "--json", good, bad);

        Assert.Equal(2, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.True(lines[0].TryGetProperty("dataset", out _));
        Assert.Equal(bad, lines[1].GetProperty("path").GetString());
        Assert.Contains("at byte", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(lines[1].GetProperty("offset").GetInt64() > 0);
        Assert.Equal("7FE00010", lines[1].GetProperty("tag").GetString());
    }

    [Fact]
    public async Task A_missing_path_is_reported_as_a_failed_file()
    {
        var (exit, output, _) = await RunAsync("dump", "--json", Path.Combine(_folder, "nothing.dcm"));

        Assert.Equal(2, exit);
        Assert.Contains("\"error\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_dump_lists_elements_like_dcmdump()
    {
        var file = Copy(Explicit, "ct.dcm");
        var bad = Copy(Truncated, "bad.dcm");

        var (exit, output, _) = await RunAsync("dump", file, bad);

        Assert.Equal(2, exit);
        Assert.Contains("# File: " + file, output, StringComparison.Ordinal);
        Assert.Contains("# Transfer Syntax: 1.2.840.10008.1.2.1", output, StringComparison.Ordinal);
        Assert.Contains("(0010,0010) PN [", output, StringComparison.Ordinal);
        Assert.Matches(@"\(0028,0010\) US 512 +#   2, 1 Rows", output);
        Assert.Contains("(7FE0,0010) OW (bulk data: 524288 bytes)", output, StringComparison.Ordinal);
        Assert.Contains("# Error: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_dump_indents_sequence_items()
    {
        var file = Copy(Jpeg2000, "j2k.dcm");

        var (exit, output, _) = await RunAsync("dump", file);

        Assert.Equal(0, exit);
        Assert.Matches(@"\n\(\w{4},\w{4}\) SQ \(Sequence with \d+ items?\)", output);
        Assert.Matches(@"\n  \(FFFE,E000\) na \(Item #1 with \d+ elements?\)", output);
        Assert.Matches(@"\n    \(\w{4},\w{4}\) \w\w ", output);
        Assert.Contains("(7FE0,0010) OB (PixelSequence with ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parallel_output_equals_sequential_output()
    {
        Copy(Explicit, "1.dcm");
        Copy(Charset, "2.dcm");
        Copy(Truncated, "3.dcm");
        Copy(Jpeg2000, "4.dcm");
        Copy(BigEndian, "5.dcm");

        var sequential = await RunAsync("dump", "--json", _folder);
        var parallel = await RunAsync("dump", "--json", "--parallel", "3", _folder);

        Assert.Equal(2, sequential.Exit);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public async Task Stop_at_pixel_data_leaves_it_out()
    {
        var file = Copy(Explicit, "ct.dcm");

        var (exit, output, _) = await RunAsync("dump", "--json", "--stop-at-pixel-data", file);

        Assert.Equal(0, exit);
        var line = JsonDocument.Parse(output).RootElement;
        Assert.True(line.GetProperty("partial").GetBoolean());
        Assert.False(line.GetProperty("dataset").TryGetProperty("7FE00010", out _));
        Assert.True(line.GetProperty("dataset").TryGetProperty("00280010", out _));
    }

    [Fact]
    public async Task Canonical_output_is_one_line_per_file()
    {
        var file = Copy(Charset, "x.dcm");

        var (exit, output, _) = await RunAsync("dump", "--canonical", file);

        Assert.Equal(0, exit);
        var line = JsonDocument.Parse(output).RootElement;
        var name = line.GetProperty("dataset").EnumerateArray().Single(e => e.GetProperty("tag").GetString() == "00100010");
        Assert.Equal("Wang^XiaoDong=王^小東", name.GetProperty("value")[0].GetString());
    }

    [Theory]
    [InlineData("dump")]
    [InlineData("dump", "--json", "--canonical", "x.dcm")]
    [InlineData("dump", "--parallel", "0", "x.dcm")]
    [InlineData("nonsense")]
    public async Task Usage_errors_exit_with_1(params string[] args)
    {
        var (exit, _, _) = await RunAsync(args);

        Assert.Equal(1, exit);
    }

    private string Copy(string sample, string to)
    {
        var source = Samples.PathOf(sample);
        var target = Path.Combine(_folder, to.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
        return target;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new MemoryStream();
        await using var error = new StringWriter();
        var exit = await Program.RunAsync(args, new CliConsole(output, error), TestContext.Current.CancellationToken);
        return (exit, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    private static (string Path, long Offset, long Length) ParseUri(string text)
    {
        var uri = new Uri(text);
        Assert.Equal("file", uri.Scheme);
        var query = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return (uri.LocalPath, long.Parse(query["offset"], System.Globalization.CultureInfo.InvariantCulture), long.Parse(query["length"], System.Globalization.CultureInfo.InvariantCulture));
    }
}
