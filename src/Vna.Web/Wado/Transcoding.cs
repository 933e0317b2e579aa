using Vna.Core;

namespace Vna.Web.Wado;

/// <summary>Re-encodes a stored object through the <see cref="IInstanceTranscoder"/> port into a temporary file (deleted on close).</summary>
internal static class Transcoding
{
    public static async Task<FileStream> ToTemporaryFileAsync(IInstanceTranscoder transcoder, InstanceContent content, string transferSyntaxUid, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "vna-wado-" + Guid.NewGuid().ToString("N") + ".dcm");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await transcoder.TranscodeAsync(content.Stream, transferSyntaxUid, file, null, cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
