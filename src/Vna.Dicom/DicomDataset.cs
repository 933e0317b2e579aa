using System.Collections;

namespace Vna.Dicom;

/// <summary>
/// A data set: items ordered by tag. Items of a sequence are data sets too; they inherit the Specific Character Set of
/// the data set that holds the sequence unless they carry their own (0008,0005).
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomItem>
{
    private static readonly DicomTag SpecificCharacterSetTag = new(0x0008, 0x0005);

    private readonly List<DicomItem> _items = [];
    private DicomCharacterSet? _characterSet;

    public DicomDataset()
    {
    }

    public DicomDataset(IEnumerable<DicomItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            AddOrUpdate(item);
        }
    }

    /// <summary>The sequence this data set is an item of, or null for a top-level data set.</summary>
    public DicomSequence? Parent { get; internal set; }

    public int Count => _items.Count;

    /// <summary>The character set that decodes this data set's text: its own (0008,0005), else the enclosing data set's, else the default.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null)
            {
                return _characterSet;
            }

            if (TryGet(SpecificCharacterSetTag, out var item) && item is DicomElement element && element.Length > 0)
            {
                var terms = SplitDefaultRepertoire(element.InlineValue.Span);
                return _characterSet = DicomCharacterSet.FromTerms(terms);
            }

            return Parent?.Owner?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    public DicomItem? this[DicomTag tag] => TryGet(tag, out var item) ? item : null;

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGet(DicomTag tag, out DicomItem item)
    {
        var index = IndexOf(tag);
        if (index >= 0)
        {
            item = _items[index];
            return true;
        }

        item = null!;
        return false;
    }

    public DicomElement? GetElement(DicomTag tag) => this[tag] as DicomElement;

    public DicomSequence? GetSequence(DicomTag tag) => this[tag] as DicomSequence;

    /// <summary>Adds an item; throws when the tag is already present.</summary>
    public void Add(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var index = IndexOf(item.Tag);
        if (index >= 0)
        {
            throw new ArgumentException($"The data set already holds {item.Tag}.", nameof(item));
        }

        Insert(~index, item);
    }

    /// <summary>Adds an item or replaces the one with the same tag.</summary>
    public void AddOrUpdate(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var index = IndexOf(item.Tag);
        if (index >= 0)
        {
            Detach(_items[index]);
            _items[index] = item;
            Attach(item);
        }
        else
        {
            Insert(~index, item);
        }
    }

    public bool Remove(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        Detach(_items[index]);
        _items.RemoveAt(index);
        if (tag == SpecificCharacterSetTag)
        {
            _characterSet = null;
        }

        return true;
    }

    /// <summary>Removes every item for which <paramref name="predicate"/> holds.</summary>
    public int RemoveAll(Func<DicomItem, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var removed = _items.RemoveAll(i => predicate(i));
        _characterSet = null;
        return removed;
    }

    public void Clear()
    {
        _items.Clear();
        _characterSet = null;
    }

    /// <summary>A deep copy of the items' structure; values and bulk references are shared (they are immutable).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset();
        foreach (var item in _items)
        {
            copy._items.Add(CloneItem(item, copy));
        }

        return copy;
    }

    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Appends while reading: usually in tag order (fast path), tolerating out-of-order and repeated tags.</summary>
    /// <returns>False when the tag was already present (the first occurrence is kept).</returns>
    internal bool AppendRead(DicomItem item)
    {
        if (_items.Count == 0 || _items[^1].Tag < item.Tag)
        {
            _items.Add(item);
            Attach(item);
            return true;
        }

        var index = IndexOf(item.Tag);
        if (index >= 0)
        {
            return false;
        }

        Insert(~index, item);
        return true;
    }

    private static DicomItem CloneItem(DicomItem item, DicomDataset owner)
    {
        if (item is DicomSequence sequence)
        {
            var copy = new DicomSequence(sequence.Tag, sequence.Items.Select(i => i.Clone())) { Owner = owner };
            return copy;
        }

        return item;
    }

    private void Insert(int index, DicomItem item)
    {
        _items.Insert(index, item);
        Attach(item);
    }

    private void Attach(DicomItem item)
    {
        if (item is DicomSequence sequence)
        {
            sequence.Owner = this;
        }
        else if (item.Tag == SpecificCharacterSetTag)
        {
            _characterSet = null;
        }
    }

    private void Detach(DicomItem item)
    {
        if (item is DicomSequence sequence && ReferenceEquals(sequence.Owner, this))
        {
            sequence.Owner = null;
        }
        else if (item.Tag == SpecificCharacterSetTag)
        {
            _characterSet = null;
        }
    }

    private int IndexOf(DicomTag tag)
    {
        // Binary search over the sorted list; the result's complement is the insertion point.
        int lo = 0, hi = _items.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = _items[mid].Tag.CompareTo(tag);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private static string[] SplitDefaultRepertoire(ReadOnlySpan<byte> value)
    {
        var text = System.Text.Encoding.Latin1.GetString(value);
        var parts = text.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Trim(' ', '\0');
        }

        return parts;
    }
}
