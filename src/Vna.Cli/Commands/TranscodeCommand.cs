using System.CommandLine;
using System.Globalization;
using Vna.Codecs;
using Vna.Codecs.Transcoding;
using Vna.Core;

namespace Vna.Cli.Commands;

/// <summary>
/// <c>vna transcode IN OUT --ts UID [--quality Q] [--keep-sop-instance-uid] [--parallel N]</c>: re-encodes one Part 10 file
/// in another transfer syntax with Vna's codecs. Exit code 0 on success, 2 when the object cannot be transcoded (the
/// reason on standard error; OUT is not created), 1 for usage errors.
/// </summary>
internal static class TranscodeCommand
{
    public static Command Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var input = new Argument<string>("in") { Description = "The Part 10 file to read." };
        var output = new Argument<string>("out") { Description = "The Part 10 file to write (replaced only when the transcode succeeds)." };
        var ts = new Option<string>("--ts")
        {
            Description = "Target transfer syntax UID, e.g. 1.2.840.10008.1.2.4.90 (JPEG 2000 lossless), .201 (HTJ2K lossless), .80 (JPEG-LS), 1.2.840.10008.1.2.5 (RLE), 1.2.840.10008.1.2.1 (Explicit VR Little Endian).",
            Required = true,
        };
        var quality = new Option<double?>("--quality")
        {
            Description = "Lossy syntaxes only: JPEG quality 1-100 (.50), JPEG 2000 / HTJ2K compression ratio (.91, .203), JPEG-LS NEAR (.81).",
        };
        var keepUid = new Option<bool>("--keep-sop-instance-uid")
        {
            Description = "Keep the SOP Instance UID of a lossy copy (by default a lossy copy gets a new one).",
        };
        var parallel = new Option<int>("--parallel", "-j")
        {
            Description = "Frames coded at once (default: the number of processors).",
        };

        var command = new Command("transcode", "Re-encode a DICOM file in another transfer syntax (JPEG 2000, HTJ2K, JPEG-LS, JPEG, RLE, native).")
        {
            input,
            output,
            ts,
            quality,
            keepUid,
            parallel,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new CodecsOptions { MaxDegreeOfParallelism = Math.Max(0, parseResult.GetValue(parallel)) };
            var transcoder = new DicomInstanceTranscoder(options);
            var inPath = parseResult.GetValue(input)!;
            var outPath = Path.GetFullPath(parseResult.GetValue(output)!);
            var temporary = outPath + ".vna-tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            try
            {
                TranscodeResult result;
                var source = new FileStream(inPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                await using (source.ConfigureAwait(false))
                {
                    var destination = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                    await using (destination.ConfigureAwait(false))
                    {
                        var transcodeOptions = new TranscodeOptions { Quality = parseResult.GetValue(quality), NewSopInstanceUidWhenLossy = !parseResult.GetValue(keepUid) };
                        result = await transcoder.TranscodeAsync(source, parseResult.GetValue(ts)!, destination, transcodeOptions, cancellationToken).ConfigureAwait(false);
                    }
                }

                File.Move(temporary, outPath, overwrite: true);
                var line = string.Create(CultureInfo.InvariantCulture, $"{outPath}: {result.TransferSyntaxUid}, {result.BytesWritten} bytes{(result.Lossy ? ", lossy, SOP Instance UID " + result.SopInstanceUid : "")}\n");
                var bytes = System.Text.Encoding.UTF8.GetBytes(line);
                await console.Output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is TranscodeException or IOException or UnauthorizedAccessException)
            {
                File.Delete(temporary);
                await console.Error.WriteLineAsync($"vna transcode: {inPath}: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }
}
