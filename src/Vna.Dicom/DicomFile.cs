namespace Vna.Dicom;

/// <summary>
/// A data set with its File Meta Information, as read from or written to a Part 10 file (or a bare data set, with
/// <see cref="HasFileMetaInformation"/> false). Owns any spooled bulk data: dispose it when done.
/// </summary>
public sealed class DicomFile : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(fileMetaInformation);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        FileMetaInformation = fileMetaInformation;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
    }

    public DicomDataset FileMetaInformation { get; }

    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax the data set was encoded in (from (0002,0010), or detected).</summary>
    public DicomTransferSyntax TransferSyntax { get; set; }

    /// <summary>True when the source had the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; init; }

    /// <summary>True when the source had a File Meta Information group.</summary>
    public bool HasFileMetaInformation { get; init; }

    /// <summary>True when reading stopped early (a header-only read); the data set lacks the elements after the stop.</summary>
    public bool IsPartial { get; init; }

    /// <summary>What the reader tolerated.</summary>
    public IReadOnlyList<DicomReadWarning> Warnings { get; init; } = [];

    internal void Own(IDisposable resource) => _owned.Add(resource);

    public void Dispose()
    {
        foreach (var resource in _owned)
        {
            resource.Dispose();
        }

        _owned.Clear();
    }
}
