namespace Vna.Dicom;

/// <summary>Bulk data kept in a file that stays where it is (the file the data set was read from).</summary>
public sealed class FileBulkDataSource : IBulkDataSource
{
    public FileBulkDataSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string Name => Path;

    public Stream OpenRead() =>
        new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.RandomAccess);
}
