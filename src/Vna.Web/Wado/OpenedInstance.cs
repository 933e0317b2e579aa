using Vna.Core;
using Vna.Dicom;

namespace Vna.Web.Wado;

/// <summary>
/// An instance's data set read from a local file (the stored copy when the content source has one, else a temporary copy;
/// a transcoded temporary copy when asked), bulk data by reference into that file. Dispose to release the files.
/// </summary>
internal sealed class OpenedInstance : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private OpenedInstance(DicomFile file, string transferSyntaxUid)
    {
        File = file;
        TransferSyntaxUid = transferSyntaxUid;
    }

    public DicomFile File { get; }

    public string TransferSyntaxUid { get; }

    /// <summary>Opens <paramref name="instance"/>, re-encoded to <paramref name="transcodeTo"/> first when that is not null.</summary>
    public static async Task<OpenedInstance> OpenAsync(
        IInstanceContentSource source, IInstanceTranscoder transcoder, StoredInstance instance, TimeSpan maxWait, string? transcodeTo, CancellationToken cancellationToken)
    {
        var owned = new List<IAsyncDisposable>();
        try
        {
            var content = await source.OpenAsync(instance, maxWait, cancellationToken).ConfigureAwait(false);
            owned.Add(content);
            string path;
            var syntax = content.TransferSyntaxUid;
            if (transcodeTo is not null && !string.Equals(transcodeTo, syntax, StringComparison.Ordinal))
            {
                var transcoded = await Transcoding.ToTemporaryFileAsync(transcoder, content, transcodeTo, cancellationToken).ConfigureAwait(false);
                owned.Add(transcoded);
                path = transcoded.Name;
                syntax = transcodeTo;
            }
            else if (content.LocalPath is not null)
            {
                path = content.LocalPath;
            }
            else
            {
                var copy = new FileStream(
                    Path.Combine(Path.GetTempPath(), "vna-wado-" + Guid.NewGuid().ToString("N") + ".dcm"),
                    FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                owned.Add(copy);
                await content.Stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                await copy.FlushAsync(cancellationToken).ConfigureAwait(false);
                path = copy.Name;
            }

            var file = await DicomReader.ReadFileAsync(path, new DicomReaderOptions { BulkDataThreshold = 1024 }, cancellationToken).ConfigureAwait(false);
            var opened = new OpenedInstance(file, syntax);
            opened._owned.AddRange(owned);
            return opened;
        }
        catch
        {
            foreach (var item in owned)
            {
                await item.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        File.Dispose();
        foreach (var item in _owned)
        {
            await item.DisposeAsync().ConfigureAwait(false);
        }
    }
}
