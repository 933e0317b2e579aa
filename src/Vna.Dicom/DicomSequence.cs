namespace Vna.Dicom;

/// <summary>A sequence of items (VR SQ), each item a data set nested in the one that holds the sequence.</summary>
public sealed class DicomSequence : DicomItem
{
    private readonly List<DicomDataset> _items = [];

    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
        : base(tag, DicomVR.SQ)
    {
        if (items is not null)
        {
            foreach (var item in items)
            {
                Add(item);
            }
        }
    }

    public IReadOnlyList<DicomDataset> Items => _items;

    /// <summary>The data set that holds this sequence (its items inherit that data set's character set).</summary>
    public DicomDataset? Owner { get; internal set; }

    public void Add(DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Parent = this;
        _items.Add(item);
    }

    public override string ToString() => $"{Tag} SQ ({_items.Count} items)";
}
