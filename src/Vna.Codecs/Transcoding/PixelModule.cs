using Vna.Codecs.Codecs;
using Vna.Codecs.Pixels;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Codecs.Transcoding;

/// <summary>The Image Pixel attributes of one instance, read and checked before any pixel is touched.</summary>
internal sealed record PixelModule(FrameInfo Frame, int NumberOfFrames, string Photometric, int PlanarConfiguration)
{
    public static PixelModule Read(DicomDataset dataset, long maxFrameBytes)
    {
        int Get(DicomTag tag, string name, bool required = true, int fallback = 0)
        {
            int? value;
            try
            {
                value = dataset.GetValue<int>(tag);
            }
            catch (Exception ex) when (ex is DicomDataException or OverflowException or FormatException)
            {
                throw new TranscodeException($"{name} {tag} is not a valid number: {ex.Message}", ex);
            }

            if (value is null && required)
            {
                throw new TranscodeException($"{name} {tag} is missing: the pixel data cannot be interpreted.");
            }

            return value ?? fallback;
        }

        var rows = Get(DicomTag.Rows, "Rows");
        var columns = Get(DicomTag.Columns, "Columns");
        var spp = Get(DicomTag.SamplesPerPixel, "Samples per Pixel", required: false, fallback: 1);
        var allocated = Get(DicomTag.BitsAllocated, "Bits Allocated");
        var stored = Get(DicomTag.BitsStored, "Bits Stored", required: false, fallback: allocated);
        var representation = Get(DicomTag.PixelRepresentation, "Pixel Representation", required: false);
        var planar = spp > 1 ? Get(DicomTag.PlanarConfiguration, "Planar Configuration", required: false) : 0;
        string frames;
        try
        {
            frames = dataset.GetString(DicomTag.NumberOfFrames)?.Trim() ?? "";
        }
        catch (DicomDataException ex)
        {
            throw new TranscodeException($"Number of Frames is unreadable: {ex.Message}", ex);
        }

        var numberOfFrames = 1;
        if (frames.Length > 0 && (!int.TryParse(frames, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out numberOfFrames) || numberOfFrames < 1))
        {
            throw new TranscodeException($"Number of Frames '{frames}' is not a positive integer.");
        }

        var photometric = dataset.GetString(DicomTag.PhotometricInterpretation)?.Trim() ?? (spp == 1 ? Codecs.Photometric.Monochrome2 : Codecs.Photometric.Rgb);
        if (rows is < 1 or > 65535 || columns is < 1 or > 65535)
        {
            throw new TranscodeException($"Rows {rows} and Columns {columns} must be 1..65535.");
        }

        if (spp is not (1 or 3 or 4))
        {
            throw new TranscodeException($"Samples per Pixel {spp} is not 1, 3 or 4.");
        }

        if (allocated is not (1 or 8 or 16 or 32 or 64))
        {
            throw new TranscodeException($"Bits Allocated {allocated} is not 1, 8, 16, 32 or 64.");
        }

        if (stored < 1 || stored > allocated)
        {
            throw new TranscodeException($"Bits Stored {stored} must be 1..Bits Allocated ({allocated}).");
        }

        if (representation is not (0 or 1))
        {
            throw new TranscodeException($"Pixel Representation {representation} is not 0 or 1.");
        }

        var info = new FrameInfo(columns, rows, spp, allocated, stored, representation == 1);
        if (info.FrameBytes > maxFrameBytes)
        {
            throw new TranscodeException($"A frame of {info} is {info.FrameBytes} bytes, above the limit of {maxFrameBytes}.");
        }

        return new PixelModule(info, numberOfFrames, photometric, planar);
    }

    /// <summary>Codecs exchange 8- and 16-bit samples; 1-, 32- and 64-bit data stay native.</summary>
    public void RequireCodecSamples(string what)
    {
        if (Frame.BitsAllocated is not (8 or 16) || Frame.BitsStored > 16)
        {
            throw new TranscodeException($"{what}: Bits Allocated {Frame.BitsAllocated} (Bits Stored {Frame.BitsStored}) is not supported; only 8 and 16.");
        }
    }
}
