using Vna.Dicom;

namespace Vna.Core.Tests;

/// <summary>A synthetic CT image, encoded on demand as a Part 10 file or a bare data set. Null attributes are left out.</summary>
internal sealed record TestObject
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    public string? SopClassUid { get; init; } = CtImageStorage;

    public string? SopInstanceUid { get; init; } = DicomUid.Generate();

    public string? StudyInstanceUid { get; init; } = DicomUid.Generate();

    public string? SeriesInstanceUid { get; init; } = DicomUid.Generate();

    public string? PatientId { get; init; } = "12345";

    public string? PatientName { get; init; } = "Doe^Jane";

    public string? IssuerOfPatientId { get; init; }

    public string? InstitutionName { get; init; } = "General Hospital";

    /// <summary>Fills the pixels: two objects that differ only here have different content.</summary>
    public byte PixelSeed { get; init; } = 7;

    /// <summary>200 × 200 × 16 bits: 80,000 bytes, above the reader's bulk threshold, so kept by reference.</summary>
    public int Rows { get; init; } = 200;

    public DicomDataset ToDataset()
    {
        var ds = new DicomDataset();
        Add(ds, DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        Add(ds, DicomTag.SOPClassUID, DicomVR.UI, SopClassUid);
        Add(ds, DicomTag.SOPInstanceUID, DicomVR.UI, SopInstanceUid);
        Add(ds, DicomTag.StudyDate, DicomVR.DA, "20240102");
        Add(ds, DicomTag.Modality, DicomVR.CS, "CT");
        Add(ds, DicomTag.InstitutionName, DicomVR.LO, InstitutionName);
        Add(ds, DicomTag.PatientName, DicomVR.PN, PatientName);
        Add(ds, DicomTag.PatientID, DicomVR.LO, PatientId);
        Add(ds, DicomTag.IssuerOfPatientID, DicomVR.LO, IssuerOfPatientId);
        Add(ds, DicomTag.StudyInstanceUID, DicomVR.UI, StudyInstanceUid);
        Add(ds, DicomTag.SeriesInstanceUID, DicomVR.UI, SeriesInstanceUid);
        Add(ds, DicomTag.SeriesNumber, DicomVR.IS, "3");
        Add(ds, DicomTag.InstanceNumber, DicomVR.IS, "1");
        ds.AddOrUpdateValues(DicomTag.SamplesPerPixel, DicomVR.US, (ushort)1);
        Add(ds, DicomTag.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdateValues(DicomTag.Rows, DicomVR.US, (ushort)Rows);
        ds.AddOrUpdateValues(DicomTag.Columns, DicomVR.US, (ushort)200);
        ds.AddOrUpdateValues(DicomTag.BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdateValues(DicomTag.BitsStored, DicomVR.US, (ushort)12);
        ds.AddOrUpdateValues(DicomTag.HighBit, DicomVR.US, (ushort)11);
        ds.AddOrUpdateValues(DicomTag.PixelRepresentation, DicomVR.US, (ushort)0);
        var pixels = new byte[Rows * 200 * 2];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i * PixelSeed);
        }

        ds.Add(new DicomElement(DicomTag.PixelData, DicomVR.OW, pixels));
        return ds;
    }

    public async Task<byte[]> ToPart10Async(DicomTransferSyntax? syntax = null)
    {
        syntax ??= DicomTransferSyntax.ExplicitVRLittleEndian;
        var ds = ToDataset();
        var meta = SopClassUid is not null && SopInstanceUid is not null
            ? DicomWriter.CreateFileMetaInformation(ds, syntax)
            : MetaWithoutIdentifiers(syntax);
        using var stream = new MemoryStream();
        await DicomWriter.WriteFileAsync(stream, new DicomFile(meta, ds, syntax), null, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }

    public async Task<byte[]> ToBareAsync(DicomTransferSyntax syntax)
    {
        using var stream = new MemoryStream();
        await DicomWriter.WriteDatasetAsync(stream, ToDataset(), syntax, null, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }

    private static DicomDataset MetaWithoutIdentifiers(DicomTransferSyntax syntax)
    {
        // The writer needs Media Storage UIDs: give it placeholders when the data set lacks its own.
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, DicomVR.UI, CtImageStorage);
        meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, DicomVR.UI, "1.2.3.4");
        meta.AddOrUpdate(DicomTag.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        return meta;
    }

    private static void Add(DicomDataset ds, DicomTag tag, DicomVR vr, string? value)
    {
        if (value is not null)
        {
            ds.AddOrUpdate(tag, vr, value);
        }
    }
}
