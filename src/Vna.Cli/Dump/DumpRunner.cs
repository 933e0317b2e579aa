using Vna.Dicom;

namespace Vna.Cli.Dump;

/// <summary>
/// Runs <c>vna dump</c>: expands folders (recursively, files sorted by path), reads each file, renders it into a buffer
/// and copies the buffers to the output in the order of the files. With <see cref="DumpSettings.Parallelism"/> above 1,
/// that many files are read at once; the output order stays the same.
/// </summary>
internal sealed class DumpRunner
{
    public const int Success = 0;
    public const int SomeFilesFailed = 2;

    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    private readonly DumpSettings _settings;
    private readonly IFileDumper _dumper;
    private readonly DicomReaderOptions _readerOptions;

    public DumpRunner(DumpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _dumper = settings.Format switch
        {
            DumpFormat.Json => new JsonDumper(),
            DumpFormat.Canonical => new CanonicalDumper(),
            _ => new TextDumper(),
        };
        _readerOptions = new DicomReaderOptions
        {
            Strict = settings.Strict,
            StopAtTag = settings.StopAtPixelData ? PixelData : null,
        };
    }

    /// <summary>Dumps every file; returns 0 when all were read, 2 when any failed.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> paths, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(output);
        var files = ExpandPaths(paths);
        var failed = false;
        var buffered = new BufferedStream(output, 64 * 1024);
        await using (buffered.ConfigureAwait(false))
        {
            if (_settings.Parallelism <= 1)
            {
                var buffer = new MemoryStream();
                foreach (var path in files)
                {
                    buffer.SetLength(0);
                    failed |= !await RenderAsync(path, buffer, cancellationToken).ConfigureAwait(false);
                    await buffered.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                // A window of files in flight; each is written as soon as it and all before it are done.
                var window = new Queue<Task<(MemoryStream Buffer, bool Ok)>>();
                var next = 0;
                while (next < files.Count || window.Count > 0)
                {
                    while (next < files.Count && window.Count < _settings.Parallelism)
                    {
                        var path = files[next++];
                        window.Enqueue(Task.Run(
                            async () =>
                            {
                                var buffer = new MemoryStream();
                                var ok = await RenderAsync(path, buffer, cancellationToken).ConfigureAwait(false);
                                return (buffer, ok);
                            },
                            cancellationToken));
                    }

                    var (rendered, fileOk) = await window.Dequeue().ConfigureAwait(false);
                    failed |= !fileOk;
                    await buffered.WriteAsync(rendered.GetBuffer().AsMemory(0, (int)rendered.Length), cancellationToken).ConfigureAwait(false);
                }
            }

            await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return failed ? SomeFilesFailed : Success;
    }

    /// <summary>Files in argument order; a folder contributes all files below it, sorted by path. A missing path stays, to be reported.</summary>
    public static List<string> ExpandPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", options).ToList();
                found.Sort(StringComparer.Ordinal);
                files.AddRange(found);
            }
            else
            {
                files.Add(path);
            }
        }

        return files;
    }

    /// <summary>Reads one file and renders it (or its error) into <paramref name="buffer"/>; false when the file failed.</summary>
    private async Task<bool> RenderAsync(string path, MemoryStream buffer, CancellationToken cancellationToken)
    {
        Exception? error;
        try
        {
            using var file = await DicomReader.ReadFileAsync(path, _readerOptions, cancellationToken).ConfigureAwait(false);
            _dumper.WriteFile(buffer, path, file);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Any failure of one file is reported with the file and does not stop the others.
            error = ex;
        }

        buffer.SetLength(0);
        _dumper.WriteError(buffer, path, error);
        return false;
    }
}
