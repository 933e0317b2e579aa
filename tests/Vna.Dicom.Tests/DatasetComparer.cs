namespace Vna.Dicom.Tests;

/// <summary>Element-by-element comparison of two data sets (values compared as bytes, bulk data loaded).</summary>
internal static class DatasetComparer
{
    public static void AssertEqual(DicomDataset expected, DicomDataset actual, bool compareVRs, string context)
    {
        var e = expected.Where(i => !i.Tag.IsGroupLength).ToArray();
        var a = actual.Where(i => !i.Tag.IsGroupLength).ToArray();
        Assert.True(
            e.Select(i => i.Tag).SequenceEqual(a.Select(i => i.Tag)),
            $"{context}: tags differ: missing [{string.Join(' ', e.Select(i => i.Tag).Except(a.Select(i => i.Tag)))}], extra [{string.Join(' ', a.Select(i => i.Tag).Except(e.Select(i => i.Tag)))}]");
        for (var i = 0; i < e.Length; i++)
        {
            var where = $"{context}: {e[i].Tag}";
            if (e[i] is DicomFragmentSequence)
            {
                Assert.Equal(DicomVR.OB, a[i].VR); // encapsulated pixel data is always written OB (PS3.5 A.4)
            }
            else if (compareVRs || (e[i].VR != DicomVR.UN && a[i].VR != DicomVR.UN && !e[i].Tag.IsPrivate))
            {
                Assert.True(e[i].VR == a[i].VR || !compareVRs && IsImplicitAmbiguity(e[i], a[i]), $"{where}: VR {e[i].VR} became {a[i].VR}");
            }

            switch (e[i])
            {
                case DicomSequence es:
                    var asq = a[i] as DicomSequence;
                    if (asq is null && !compareVRs && e[i].Tag.IsPrivate && a[i].VR == DicomVR.UN)
                    {
                        // Implicit VR cannot say that a private element no dictionary knows is a sequence: the writer gives
                        // it a defined length, and every reader (DCMTK, pydicom, ours) then sees its bytes as UN.
                        break;
                    }

                    Assert.True(asq is not null, $"{where}: the sequence read back as {a[i].VR}");
                    Assert.Equal(es.Items.Count, asq.Items.Count);
                    for (var k = 0; k < es.Items.Count; k++)
                    {
                        AssertEqual(es.Items[k], asq.Items[k], compareVRs, $"{where}[{k}]");
                    }

                    break;
                case DicomFragmentSequence ef:
                    var af = Assert.IsType<DicomFragmentSequence>(a[i]);
                    Assert.Equal(ef.BasicOffsetTable, af.BasicOffsetTable);
                    Assert.Equal(ef.Fragments.Count, af.Fragments.Count);
                    for (var k = 0; k < ef.Fragments.Count; k++)
                    {
                        var x = Bytes(ef.Fragments[k].OpenRead());
                        var y = Bytes(af.Fragments[k].OpenRead());
                        Assert.True(PaddedEqual(x, y), $"{where} fragment {k} differs");
                    }

                    break;
                case DicomElement ee:
                    var ae = Assert.IsType<DicomElement>(a[i]);
                    var xv = ee.GetValue().ToArray();
                    var yv = ae.GetValue().ToArray();
                    Assert.True(PaddedEqual(xv, yv), $"{where} value differs ({xv.Length} vs {yv.Length} bytes)");
                    break;
            }
        }
    }

    /// <summary>Implicit VR cannot say OB from OW, or US from SS without Pixel Representation: the values still compare.</summary>
    private static bool IsImplicitAmbiguity(DicomItem e, DicomItem a) =>
        (e.VR, a.VR) is (DicomVR.OB, DicomVR.OW) or (DicomVR.OW, DicomVR.OB) or (DicomVR.US, DicomVR.SS) or (DicomVR.SS, DicomVR.US)
        || (DicomDictionary.Lookup(e.Tag)?.ValueRepresentations.Contains(a.VR) ?? false);

    /// <summary>An odd-length value is padded by one byte when written: equal up to that padding.</summary>
    private static bool PaddedEqual(byte[] x, byte[] y) =>
        x.AsSpan().SequenceEqual(y) || (y.Length == x.Length + 1 && (x.Length & 1) == 1 && y.AsSpan(0, x.Length).SequenceEqual(x));

    private static byte[] Bytes(Stream stream)
    {
        using (stream)
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }
    }
}
