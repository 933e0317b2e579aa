using System.Buffers.Binary;
using System.Globalization;
using Vna.Dicom;

namespace Vna.Web.Rendering;

/// <summary>
/// Renders one native (uncompressed, little-endian) frame to 8 bits per sample (PS3.18 8.3.5, PS3.3 C.11): grey images go
/// through the Modality LUT (Rescale Slope and Intercept) and the VOI LUT (the window asked for, else the data set's first
/// window, else the frame's range; linear, linear-exact or sigmoid), MONOCHROME1 inverted; RGB and YBR_FULL colour images
/// are converted to RGB. Then the viewport: the source region cropped and scaled to fit vw × vh, aspect kept.
/// </summary>
public static class ImageRenderer
{
    /// <exception cref="InvalidDataException">The frame is not something this renderer can draw (palette colour, 32-bit, …).</exception>
    public static RenderedImage Render(DicomDataset dataset, ReadOnlySpan<byte> frame, RenderParameters parameters, int? defaultSize = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(parameters);
        var rows = dataset.GetValue<int>(DicomTag.Rows) ?? 0;
        var columns = dataset.GetValue<int>(DicomTag.Columns) ?? 0;
        var samples = dataset.GetValue<int>(DicomTag.SamplesPerPixel) ?? 1;
        var bits = dataset.GetValue<int>(DicomTag.BitsAllocated) ?? 0;
        var photometric = (dataset.GetString(DicomTag.PhotometricInterpretation) ?? "MONOCHROME2").Trim().ToUpperInvariant();
        if (rows < 1 || columns < 1)
        {
            throw new InvalidDataException("The image has no Rows or Columns.");
        }

        var image = samples == 1
            ? Grey(dataset, frame, rows, columns, bits, photometric, parameters)
            : Colour(dataset, frame, rows, columns, samples, bits, photometric);
        return Viewport(image, parameters, defaultSize);
    }

    private static RenderedImage Grey(DicomDataset dataset, ReadOnlySpan<byte> frame, int rows, int columns, int bits, string photometric, RenderParameters parameters)
    {
        if (bits is not (8 or 16))
        {
            throw new InvalidDataException($"Grey images of {bits} bits allocated are not rendered.");
        }

        var count = rows * columns;
        if (frame.Length < count * (bits / 8))
        {
            throw new InvalidDataException("The frame is shorter than Rows × Columns.");
        }

        var stored = dataset.GetValue<int>(DicomTag.BitsStored) ?? bits;
        var signed = (dataset.GetValue<int>(DicomTag.PixelRepresentation) ?? 0) == 1;
        var slope = Decimal(dataset, DicomTag.RescaleSlope) ?? 1.0;
        var intercept = Decimal(dataset, DicomTag.RescaleIntercept) ?? 0.0;
        var values = new double[count];
        var mask = stored >= 32 ? -1 : (1 << stored) - 1;
        var min = double.MaxValue;
        var max = double.MinValue;
        for (var i = 0; i < count; i++)
        {
            int raw = bits == 8 ? frame[i] : BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(i * 2, 2));
            raw &= mask;
            if (signed && stored < 32 && (raw & (1 << (stored - 1))) != 0)
            {
                raw -= 1 << stored;
            }

            var value = (raw * slope) + intercept;
            values[i] = value;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        double center, width;
        var function = parameters.WindowFunction;
        if (parameters.WindowCenter is { } c && parameters.WindowWidth is { } w)
        {
            (center, width) = (c, w);
        }
        else if (Decimal(dataset, DicomTag.WindowCenter) is { } dc && Decimal(dataset, DicomTag.WindowWidth) is { } dw && dw >= 1)
        {
            (center, width) = (dc, dw);
            function = (dataset.GetString(DicomTag.VOILUTFunction) ?? "LINEAR").Trim().ToUpperInvariant();
        }
        else
        {
            (center, width) = ((min + max) / 2, Math.Max(1, max - min));
            function = "LINEAR_EXACT";
        }

        var invert = photometric == "MONOCHROME1";
        var pixels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var y = Window(values[i], center, width, function);
            pixels[i] = (byte)(invert ? 255 - y : y);
        }

        return new RenderedImage(columns, rows, 1, pixels);
    }

    /// <summary>The VOI LUT functions of PS3.3 C.11.2.1.2 and C.11.2.1.3.1, to 0–255.</summary>
    private static int Window(double x, double center, double width, string function)
    {
        double y;
        switch (function)
        {
            case "SIGMOID":
                y = 255.0 / (1 + Math.Exp(-4 * (x - center) / width));
                break;
            case "LINEAR_EXACT":
                y = x <= center - (width / 2) ? 0 : x > center + (width / 2) ? 255 : ((x - center) / width + 0.5) * 255;
                break;
            default:
                if (width <= 1)
                {
                    y = x <= center - 0.5 ? 0 : 255;
                    break;
                }

                y = x <= center - 0.5 - ((width - 1) / 2) ? 0
                    : x > center - 0.5 + ((width - 1) / 2) ? 255
                    : (((x - (center - 0.5)) / (width - 1)) + 0.5) * 255;
                break;
        }

        return (int)Math.Clamp(Math.Round(y), 0, 255);
    }

    private static RenderedImage Colour(DicomDataset dataset, ReadOnlySpan<byte> frame, int rows, int columns, int samples, int bits, string photometric)
    {
        if (samples != 3 || bits != 8 || photometric is not ("RGB" or "YBR_FULL"))
        {
            throw new InvalidDataException($"Colour images are rendered when 8-bit RGB or YBR_FULL; this one is {photometric}, {samples} samples of {bits} bits.");
        }

        var count = rows * columns;
        if (frame.Length < count * 3)
        {
            throw new InvalidDataException("The frame is shorter than Rows × Columns × 3.");
        }

        var planar = (dataset.GetValue<int>(DicomTag.PlanarConfiguration) ?? 0) == 1;
        var pixels = new byte[count * 3];
        for (var i = 0; i < count; i++)
        {
            int a, b, c;
            if (planar)
            {
                (a, b, c) = (frame[i], frame[count + i], frame[(2 * count) + i]);
            }
            else
            {
                (a, b, c) = (frame[i * 3], frame[(i * 3) + 1], frame[(i * 3) + 2]);
            }

            if (photometric == "YBR_FULL")
            {
                var (y, cb, cr) = (a, b - 128.0, c - 128.0);
                (a, b, c) = (Clamp(y + (1.402 * cr)), Clamp(y - (0.344136 * cb) - (0.714136 * cr)), Clamp(y + (1.772 * cb)));
            }

            pixels[i * 3] = (byte)a;
            pixels[(i * 3) + 1] = (byte)b;
            pixels[(i * 3) + 2] = (byte)c;
        }

        return new RenderedImage(columns, rows, 3, pixels);
    }

    /// <summary>Crops to the source region and scales (bilinear) to fit the viewport, keeping the aspect ratio.</summary>
    private static RenderedImage Viewport(RenderedImage image, RenderParameters parameters, int? defaultSize)
    {
        var (sx, sy, sw, sh) = parameters.Region ?? (0, 0, image.Width, image.Height);
        sx = Math.Min(sx, image.Width - 1);
        sy = Math.Min(sy, image.Height - 1);
        sw = Math.Min(sw, image.Width - sx);
        sh = Math.Min(sh, image.Height - sy);
        int vw, vh;
        if (parameters.ViewportWidth is { } w && parameters.ViewportHeight is { } h)
        {
            (vw, vh) = (w, h);
        }
        else if (defaultSize is { } size)
        {
            (vw, vh) = (size, size);
        }
        else if (parameters.Region is null)
        {
            return image;
        }
        else
        {
            (vw, vh) = (sw, sh);
        }

        var scale = Math.Min((double)vw / sw, (double)vh / sh);
        var ow = Math.Max(1, (int)Math.Round(sw * scale));
        var oh = Math.Max(1, (int)Math.Round(sh * scale));
        var channels = image.Channels;
        var output = new byte[ow * oh * channels];
        for (var y = 0; y < oh; y++)
        {
            var fy = Math.Clamp(sy + ((y + 0.5) / scale) - 0.5, sy, sy + sh - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, sy + sh - 1);
            var wy = fy - y0;
            for (var x = 0; x < ow; x++)
            {
                var fx = Math.Clamp(sx + ((x + 0.5) / scale) - 0.5, sx, sx + sw - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, sx + sw - 1);
                var wx = fx - x0;
                for (var ch = 0; ch < channels; ch++)
                {
                    double P(int px, int py) => image.Pixels[(((py * image.Width) + px) * channels) + ch];
                    var top = (P(x0, y0) * (1 - wx)) + (P(x1, y0) * wx);
                    var bottom = (P(x0, y1) * (1 - wx)) + (P(x1, y1) * wx);
                    output[(((y * ow) + x) * channels) + ch] = (byte)Math.Clamp(Math.Round((top * (1 - wy)) + (bottom * wy)), 0, 255);
                }
            }
        }

        return new RenderedImage(ow, oh, channels, output);
    }

    private static int Clamp(double value) => (int)Math.Clamp(Math.Round(value), 0, 255);

    private static double? Decimal(DicomDataset dataset, DicomTag tag)
    {
        var text = dataset.GetString(tag)?.Split('\\')[0].Trim();
        return text is { Length: > 0 } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;
    }
}
