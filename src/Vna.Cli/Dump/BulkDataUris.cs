using System.Globalization;
using Vna.Dicom;

namespace Vna.Cli.Dump;

/// <summary>
/// BulkDataURIs for <c>vna dump --json</c>: a value kept by reference into the file that was read becomes
/// <c>file:///abs/path?offset=N&amp;length=M</c>, the byte range of the value in that file. For encapsulated pixel data the
/// range is the whole value field: the Basic Offset Table item and every fragment item with their 8-byte headers, without
/// the Sequence Delimitation Item. In an Explicit VR Big Endian file the bytes are as stored, big endian, and the URI ends
/// with <c>&amp;byteOrder=big</c>. Values held in memory, or spooled to a temporary file (deflated data sets), get no URI
/// and are written inline.
/// </summary>
internal static class BulkDataUris
{
    public static string? ForItem(DicomItem item) => item switch
    {
        DicomElement { BulkData: { } bulk } => ForRange(bulk.Source, bulk.Offset, bulk.Length, bulk.SwapUnit),
        DicomFragmentSequence fragments => ForFragments(fragments),
        _ => null,
    };

    private static string? ForFragments(DicomFragmentSequence fragments)
    {
        // Items follow each other in the file: one fragment held by reference places all of them.
        long before = 8 + (4L * fragments.BasicOffsetTable.Count);
        long total = before;
        BulkDataReference? anchor = null;
        long anchorStart = 0;
        foreach (var fragment in fragments.Fragments)
        {
            if (anchor is null && fragment.BulkData is { } bulk)
            {
                anchor = bulk;
                anchorStart = total;
            }

            total += 8 + fragment.Length;
        }

        if (anchor is null)
        {
            return null;
        }

        // anchor.Offset is the first byte of the anchor's value, 8 bytes after its item header.
        var start = anchor.Offset - 8 - anchorStart;
        return start < 0 ? null : ForRange(anchor.Source, start, total, 0);
    }

    private static string? ForRange(IBulkDataSource source, long offset, long length, int swapUnit)
    {
        if (source is not FileBulkDataSource file)
        {
            return null;
        }

        var uri = new Uri(file.Path).AbsoluteUri;
        return swapUnit > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{uri}?offset={offset}&length={length}&byteOrder=big")
            : string.Create(CultureInfo.InvariantCulture, $"{uri}?offset={offset}&length={length}");
    }
}
