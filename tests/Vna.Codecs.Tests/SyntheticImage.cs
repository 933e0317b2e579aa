using Vna.Codecs.Pixels;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>Deterministic synthetic images (smooth phantom plus noise, the full range of Bits Stored touched) as Part 10 data sets.</summary>
internal static class SyntheticImage
{
    public static DicomFile Create(FrameInfo info, int frames = 1, int seed = 1, string? photometric = null, int planar = 0)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SOPClassUID, info.SamplesPerPixel == 1 ? "1.2.840.10008.5.1.4.1.1.7" : "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomUid.Generate());
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, DicomUid.Generate());
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomUid.Generate());
        ds.AddOrUpdate(DicomTag.Modality, "OT");
        ds.AddOrUpdate(DicomTag.PatientName, "SYNTHETIC^IMAGE");
        ds.AddOrUpdate(DicomTag.PatientID, "SYN" + seed);
        ds.AddOrUpdateValues(DicomTag.SamplesPerPixel, DicomVR.US, (ushort)info.SamplesPerPixel);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, photometric ?? (info.SamplesPerPixel == 1 ? "MONOCHROME2" : "RGB"));
        if (info.SamplesPerPixel > 1)
        {
            ds.AddOrUpdateValues(DicomTag.PlanarConfiguration, DicomVR.US, (ushort)planar);
        }

        if (frames > 1)
        {
            ds.AddOrUpdate(DicomTag.NumberOfFrames, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        ds.AddOrUpdateValues(DicomTag.Rows, DicomVR.US, (ushort)info.Rows);
        ds.AddOrUpdateValues(DicomTag.Columns, DicomVR.US, (ushort)info.Columns);
        ds.AddOrUpdateValues(DicomTag.BitsAllocated, DicomVR.US, (ushort)info.BitsAllocated);
        ds.AddOrUpdateValues(DicomTag.BitsStored, DicomVR.US, (ushort)info.BitsStored);
        ds.AddOrUpdateValues(DicomTag.HighBit, DicomVR.US, (ushort)(info.BitsStored - 1));
        ds.AddOrUpdateValues(DicomTag.PixelRepresentation, DicomVR.US, (ushort)(info.Signed ? 1 : 0));
        var pixels = Pixels(info, frames, seed);
        if (planar == 1 && info.SamplesPerPixel > 1)
        {
            var planarBytes = new byte[pixels.Length];
            for (var f = 0; f < frames; f++)
            {
                var size = (int)info.FrameBytes;
                SampleConversion.InterleavedToPlanar(pixels.AsSpan(f * size, size), planarBytes.AsSpan(f * size, size), info);
            }

            pixels = planarBytes;
        }

        if ((pixels.Length & 1) != 0)
        {
            Array.Resize(ref pixels, pixels.Length + 1);
        }

        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, info.BitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, pixels));
        return new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    /// <summary>Interleaved samples of every frame, as the data set means them (masked or sign-extended from Bits Stored).</summary>
    public static byte[] Pixels(FrameInfo info, int frames, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[info.FrameBytes * frames];
        var min = info.MinValue;
        var max = info.MaxValue;
        var span = (double)max - min;
        var i = 0;
        for (var f = 0; f < frames; f++)
        {
            for (var y = 0; y < info.Rows; y++)
            {
                for (var x = 0; x < info.Columns; x++)
                {
                    for (var c = 0; c < info.SamplesPerPixel; c++)
                    {
                        // A smooth disc with noise, and the extremes of the range in the corners.
                        double dx = x - (info.Columns / 2.0), dy = y - (info.Rows / 2.0);
                        var r = Math.Sqrt((dx * dx) + (dy * dy)) / Math.Max(1, Math.Max(info.Columns, info.Rows));
                        var v = min + (span * (0.5 + (0.4 * Math.Cos((r * 9) + c + f)))) + ((random.NextDouble() - 0.5) * span * 0.02);
                        long value = (long)Math.Round(Math.Clamp(v, min, max));
                        if (x == 0 && y == 0)
                        {
                            value = min;
                        }
                        else if (x == info.Columns - 1 && y == info.Rows - 1)
                        {
                            value = max;
                        }

                        if (info.BytesPerSample == 1)
                        {
                            bytes[i++] = (byte)value;
                        }
                        else
                        {
                            var u = (ushort)(short)value;
                            bytes[i++] = (byte)u;
                            bytes[i++] = (byte)(u >> 8);
                        }
                    }
                }
            }
        }

        return bytes;
    }
}
