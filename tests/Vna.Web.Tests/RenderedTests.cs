using System.Buffers.Binary;
using System.Net;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// Rendered and thumbnail resources on the running archive: PNG pixels are the stored CT through its rescale and window
/// (or the window asked for), the viewport and thumbnail sizes hold, and JPEG comes back as a baseline JPEG of the right size
/// (encoded through the transcoder port).
/// </summary>
public sealed class RenderedTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    [Fact]
    public async Task Rendered_png_applies_rescale_and_window_and_viewport()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var ct = TestContext.Current.CancellationToken;
        var study = SyntheticCt.CreateStudy(950, 1, 3);
        var encoded = new List<byte[]>();
        foreach (var instance in study)
        {
            encoded.Add(await SyntheticCt.EncodeAsync(instance, ct));
        }

        Assert.Equal(HttpStatusCode.OK, (await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, encoded, ct)).Status);
        var one = study[1];
        var raw = SyntheticCt.ToDataset(one).GetElement(DicomTag.PixelData)!.InlineValue.ToArray();
        var path = $"studies/{one.Study.StudyInstanceUid}/series/{one.SeriesInstanceUid}/instances/{one.SopInstanceUid}";

        // The data set's own window (40/400) after Rescale Intercept -1024.
        var png = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, path + "/rendered"), ct, "image/png");
        Assert.True(png.Status == HttpStatusCode.OK, png.ToString());
        Assert.Equal("image/png", png.MediaType);
        var (width, height, channels, pixels) = PngReader.Decode(png.Body);
        Assert.Equal((512, 512, 1), (width, height, channels));
        Assert.Equal(Expected(raw, 40, 400), pixels);

        // A window asked for.
        var windowed = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, path + "/frames/1/rendered?window=20,60"), ct, "image/png");
        Assert.Equal(Expected(raw, 20, 60), PngReader.Decode(windowed.Body).Pixels);

        // Viewport and thumbnail sizes.
        var viewport = PngReader.Decode((await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, path + "/rendered?viewport=200,100"), ct, "image/png")).Body);
        Assert.Equal((100, 100), (viewport.Width, viewport.Height));
        var thumbnail = PngReader.Decode((await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies/{one.Study.StudyInstanceUid}/thumbnail"), ct, "image/png")).Body);
        Assert.Equal((128, 128), (thumbnail.Width, thumbnail.Height));

        // JPEG: a baseline JPEG (SOF0) of the viewport's size.
        var jpeg = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, path + "/rendered?viewport=256,256&quality=80"), ct, "image/jpeg");
        Assert.True(jpeg.Status == HttpStatusCode.OK, jpeg.ToString());
        Assert.Equal("image/jpeg", jpeg.MediaType);
        Assert.Equal((0xFF, 0xD8), (jpeg.Body[0], jpeg.Body[1]));
        Assert.Equal((256, 256), JpegSize(jpeg.Body));

        // Bad parameters and frames.
        Assert.Equal(HttpStatusCode.BadRequest, (await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, path + "/rendered?window=40"), ct)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, path + "/frames/2/rendered"), ct)).Status);
        Assert.Equal(HttpStatusCode.NotAcceptable, (await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, path + "/rendered"), ct, "image/gif")).Status);
    }

    [Fact]
    public async Task Wado_uri_serves_the_object_and_rendered_images()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var ct = TestContext.Current.CancellationToken;
        var one = SyntheticCt.CreateStudy(951, 1, 1)[0];
        var bytes = await SyntheticCt.EncodeAsync(one, ct);
        Assert.Equal(HttpStatusCode.OK, (await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, [bytes], ct)).Status);
        var query = $"wado?requestType=WADO&studyUID={one.Study.StudyInstanceUid}&seriesUID={one.SeriesInstanceUid}&objectUID={one.SopInstanceUid}";

        var dicom = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, query + "&contentType=application/dicom"), ct);
        Assert.True(dicom.Status == HttpStatusCode.OK, dicom.ToString());
        Assert.Equal("application/dicom", dicom.MediaType);
        Assert.Equal(bytes, dicom.Body);

        var raw = SyntheticCt.ToDataset(one).GetElement(DicomTag.PixelData)!.InlineValue.ToArray();
        var png = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, query + "&contentType=image/png&windowCenter=20&windowWidth=60"), ct);
        Assert.Equal("image/png", png.MediaType);
        Assert.Equal(Expected(raw, 20, 60), PngReader.Decode(png.Body).Pixels);
        var small = PngReader.Decode((await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, query + "&contentType=image/png&rows=64"), ct)).Body);
        Assert.Equal((64, 64), (small.Width, small.Height));

        var jpeg = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, query), ct);
        Assert.True(jpeg.Status == HttpStatusCode.OK, jpeg.ToString());
        Assert.Equal("image/jpeg", jpeg.MediaType);
        Assert.Equal((512, 512), JpegSize(jpeg.Body));

        Assert.Equal(HttpStatusCode.BadRequest, (await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, query.Replace("requestType=WADO", "requestType=XYZ", StringComparison.Ordinal)), ct)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"wado?requestType=WADO&studyUID={one.Study.StudyInstanceUid}"), ct)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, query.Replace(one.SopInstanceUid!, "1.2.3.4.5", StringComparison.Ordinal) + "&contentType=application/dicom"), ct)).Status);
        Assert.Equal(HttpStatusCode.NotAcceptable, (await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, query + "&contentType=application/pdf"), ct)).Status);
    }

    /// <summary>PS3.3 C.11.2.1.2.1 linear window on HU = raw − 1024 (12 bits stored, unsigned).</summary>
    private static byte[] Expected(byte[] raw, double center, double width)
    {
        var result = new byte[raw.Length / 2];
        for (var i = 0; i < result.Length; i++)
        {
            var hu = (BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)) & 0x0FFF) - 1024.0;
            double y = hu <= center - 0.5 - ((width - 1) / 2) ? 0
                : hu > center - 0.5 + ((width - 1) / 2) ? 255
                : (((hu - (center - 0.5)) / (width - 1)) + 0.5) * 255;
            result[i] = (byte)Math.Round(y);
        }

        return result;
    }

    /// <summary>Width and height from the SOF0 marker.</summary>
    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        for (var i = 2; i + 9 < jpeg.Length;)
        {
            Assert.Equal(0xFF, jpeg[i]);
            var marker = jpeg[i + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            if (marker == 0xC0)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 5)));
            }

            i += 2 + length;
        }

        throw new InvalidDataException("No SOF0 marker: not a baseline JPEG.");
    }
}
