using System.Globalization;
using System.Security.Cryptography;
using Vna.Dicom;

namespace Vna.Testing;

/// <summary>
/// Synthetic CT objects written with Vna's own toolkit (so the tests need no sample files): realistic patient, study, series
/// and image attributes, fresh UIDs (<see cref="DicomUid.Generate"/>), 512 × 512 × 16-bit pixel data (12 bits stored) of a
/// noisy phantom that differs per slice and seed, Explicit VR Little Endian Part 10 files of about 513 KiB.
/// </summary>
public static class SyntheticCt
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>A new study of <paramref name="seriesCount"/> × <paramref name="instancesPerSeries"/> instances; <paramref name="number"/> makes its patient.</summary>
    public static IReadOnlyList<SyntheticInstance> CreateStudy(int number, int seriesCount, int instancesPerSeries)
    {
        var study = NewStudy(number);
        var instances = new List<SyntheticInstance>(seriesCount * instancesPerSeries);
        for (var s = 1; s <= seriesCount; s++)
        {
            var series = DicomUid.Generate();
            for (var i = 1; i <= instancesPerSeries; i++)
            {
                instances.Add(new SyntheticInstance
                {
                    Study = study,
                    SeriesInstanceUid = series,
                    SeriesNumber = s,
                    SeriesDescription = s == 1 ? "AXIAL 5.0 STANDARD" : $"AXIAL 1.25 LUNG {s}",
                    SopInstanceUid = DicomUid.Generate(),
                    InstanceNumber = i,
                    PixelSeed = (number * 100_003) + (s * 1_009) + i,
                });
            }
        }

        return instances;
    }

    /// <summary>The attributes of a made-up patient and study.</summary>
    public static SyntheticStudy NewStudy(int number) => new()
    {
        StudyInstanceUid = DicomUid.Generate(),
        PatientId = string.Create(CultureInfo.InvariantCulture, $"SYN{number:D6}"),
        PatientName = string.Create(CultureInfo.InvariantCulture, $"Synthetic^Patient{number}^^Ms"),
        AccessionNumber = string.Create(CultureInfo.InvariantCulture, $"ACC{RandomNumberGenerator.GetInt32(1_000_000, 9_999_999)}"),
        StudyId = number.ToString(CultureInfo.InvariantCulture),
        FrameOfReferenceUid = DicomUid.Generate(),
    };

    /// <summary>The instance as a Part 10 file (Explicit VR Little Endian).</summary>
    public static async Task<byte[]> EncodeAsync(SyntheticInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        var dataset = ToDataset(instance);
        var meta = instance.SopClassUid is not null && instance.SopInstanceUid is not null
            ? DicomWriter.CreateFileMetaInformation(dataset, syntax)
            : PlaceholderMeta(syntax);
        using var stream = new MemoryStream((instance.Rows * instance.Columns * 2) + 4096);
        await DicomWriter.WriteFileAsync(stream, new DicomFile(meta, dataset, syntax), null, cancellationToken).ConfigureAwait(false);
        return stream.ToArray();
    }

    /// <summary>Writes the instance as a Part 10 file at <paramref name="path"/>; returns its bytes' SHA-256 (lower-case hex).</summary>
    public static async Task<string> WriteAsync(SyntheticInstance instance, string path, CancellationToken cancellationToken)
    {
        var bytes = await EncodeAsync(instance, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        return Sha256(bytes);
    }

    /// <summary>Lower-case hex SHA-256, the archive's checksum notation.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static DicomDataset ToDataset(SyntheticInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var study = instance.Study;
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        ds.AddOrUpdate(DicomTag.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        Add(ds, DicomTag.SOPClassUID, DicomVR.UI, instance.SopClassUid);
        Add(ds, DicomTag.SOPInstanceUID, DicomVR.UI, instance.SopInstanceUid);
        ds.AddOrUpdate(DicomTag.StudyDate, DicomVR.DA, study.StudyDate);
        ds.AddOrUpdate(DicomTag.SeriesDate, DicomVR.DA, study.StudyDate);
        ds.AddOrUpdate(DicomTag.ContentDate, DicomVR.DA, study.StudyDate);
        ds.AddOrUpdate(DicomTag.StudyTime, DicomVR.TM, study.StudyTime);
        ds.AddOrUpdate(DicomTag.ContentTime, DicomVR.TM, study.StudyTime);
        ds.AddOrUpdate(DicomTag.AccessionNumber, DicomVR.SH, study.AccessionNumber);
        ds.AddOrUpdate(DicomTag.Modality, DicomVR.CS, "CT");
        ds.AddOrUpdate(DicomTag.Manufacturer, DicomVR.LO, "Vna Synthetic");
        ds.AddOrUpdate(DicomTag.InstitutionName, DicomVR.LO, study.InstitutionName);
        ds.AddOrUpdate(DicomTag.ReferringPhysicianName, DicomVR.PN, study.ReferringPhysicianName);
        ds.AddOrUpdate(DicomTag.StudyDescription, DicomVR.LO, study.StudyDescription);
        ds.AddOrUpdate(DicomTag.SeriesDescription, DicomVR.LO, instance.SeriesDescription);
        ds.AddOrUpdate(DicomTag.ManufacturerModelName, DicomVR.LO, "Phantom 512");
        ds.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, study.PatientName);
        ds.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, study.PatientId);
        ds.AddOrUpdate(DicomTag.PatientBirthDate, DicomVR.DA, study.PatientBirthDate);
        ds.AddOrUpdate(DicomTag.PatientSex, DicomVR.CS, study.PatientSex);
        ds.AddOrUpdate(DicomTag.BodyPartExamined, DicomVR.CS, "CHEST");
        ds.AddOrUpdate(DicomTag.SliceThickness, DicomVR.DS, "5");
        ds.AddOrUpdate(DicomTag.KVP, DicomVR.DS, "120");
        ds.AddOrUpdate(DicomTag.PatientPosition, DicomVR.CS, "HFS");
        Add(ds, DicomTag.StudyInstanceUID, DicomVR.UI, instance.EffectiveStudyInstanceUid);
        Add(ds, DicomTag.SeriesInstanceUID, DicomVR.UI, instance.SeriesInstanceUid);
        ds.AddOrUpdate(DicomTag.StudyID, DicomVR.SH, study.StudyId);
        ds.AddOrUpdate(DicomTag.SeriesNumber, DicomVR.IS, instance.SeriesNumber.ToString(CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTag.InstanceNumber, DicomVR.IS, instance.InstanceNumber.ToString(CultureInfo.InvariantCulture));
        var z = (-5.0 * instance.InstanceNumber).ToString("0.0", CultureInfo.InvariantCulture);
        ds.AddOrUpdate(DicomTag.ImagePositionPatient, DicomVR.DS, "-250.0", "-250.0", z);
        ds.AddOrUpdate(DicomTag.ImageOrientationPatient, DicomVR.DS, "1", "0", "0", "0", "1", "0");
        ds.AddOrUpdate(DicomTag.FrameOfReferenceUID, DicomVR.UI, study.FrameOfReferenceUid);
        ds.AddOrUpdate(DicomTag.SliceLocation, DicomVR.DS, z);
        ds.AddOrUpdateValues(DicomTag.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdateValues(DicomTag.Rows, DicomVR.US, (ushort)instance.Rows);
        ds.AddOrUpdateValues(DicomTag.Columns, DicomVR.US, (ushort)instance.Columns);
        ds.AddOrUpdate(DicomTag.PixelSpacing, DicomVR.DS, "0.9765625", "0.9765625");
        ds.AddOrUpdateValues(DicomTag.BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdateValues(DicomTag.BitsStored, DicomVR.US, (ushort)12);
        ds.AddOrUpdateValues(DicomTag.HighBit, DicomVR.US, (ushort)11);
        ds.AddOrUpdateValues(DicomTag.PixelRepresentation, DicomVR.US, (ushort)0);
        ds.AddOrUpdate(DicomTag.WindowCenter, DicomVR.DS, "40");
        ds.AddOrUpdate(DicomTag.WindowWidth, DicomVR.DS, "400");
        ds.AddOrUpdate(DicomTag.RescaleIntercept, DicomVR.DS, "-1024");
        ds.AddOrUpdate(DicomTag.RescaleSlope, DicomVR.DS, "1");
        ds.Add(new DicomElement(DicomTag.PixelData, DicomVR.OW, Pixels(instance)));
        return ds;
    }

    /// <summary>A water-filled disc (about 1000 + 24 HU above air) whose radius changes with the slice, plus seeded noise; 12 bits.</summary>
    private static byte[] Pixels(SyntheticInstance instance)
    {
        var rows = instance.Rows;
        var columns = instance.Columns;
        var pixels = new byte[rows * columns * 2];
        var random = new Random(instance.PixelSeed);
        var noise = new byte[rows * columns];
        random.NextBytes(noise);
        var radius = (Math.Min(rows, columns) * 0.35) + (10 * Math.Sin(instance.InstanceNumber / 7.0));
        var r2 = radius * radius;
        double cy = rows / 2.0, cx = columns / 2.0;
        for (var y = 0; y < rows; y++)
        {
            var dy = y - cy;
            for (var x = 0; x < columns; x++)
            {
                var dx = x - cx;
                var inside = (dx * dx) + (dy * dy) <= r2;
                var index = (y * columns) + x;
                var value = (inside ? 1024 : 24) + (noise[index] >> 2);
                pixels[index * 2] = (byte)value;
                pixels[(index * 2) + 1] = (byte)((value >> 8) & 0x0F);
            }
        }

        return pixels;
    }

    private static DicomDataset PlaceholderMeta(DicomTransferSyntax syntax)
    {
        // The writer needs Media Storage UIDs: placeholders when the data set lacks its own (bad-input objects).
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
