using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Vna.Web.Rendering;

/// <summary>
/// The rendering query parameters of PS3.18 8.3.5: <c>window=center,width[,function]</c> (linear, linear-exact, sigmoid),
/// <c>viewport=vw,vh[,sx,sy,sw,sh]</c>, <c>quality</c> (1–100, JPEG). Others (annotation, iccprofile) are ignored with a warning.
/// </summary>
public sealed record RenderParameters
{
    public double? WindowCenter { get; init; }

    public double? WindowWidth { get; init; }

    public string WindowFunction { get; init; } = "LINEAR";

    public int? ViewportWidth { get; init; }

    public int? ViewportHeight { get; init; }

    /// <summary>Source region: x, y, width, height in image pixels; null for the whole image.</summary>
    public (int X, int Y, int Width, int Height)? Region { get; init; }

    public int? Quality { get; init; }

    /// <summary>The parameters, or the problem that makes the request a 400; <paramref name="ignored"/> lists what is not applied.</summary>
    public static (RenderParameters? Parameters, string? Problem) Parse(IQueryCollection query, List<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ignored);
        var result = new RenderParameters();
        foreach (var (key, values) in query)
        {
            var text = values.ToString();
            switch (key.ToLowerInvariant())
            {
                case "window":
                    var w = text.Split(',', StringSplitOptions.TrimEntries);
                    if (w.Length is < 2 or > 3 || !Number(w[0], out var center) || !Number(w[1], out var width) || width < 1)
                    {
                        return (null, $"window must be center,width[,function] with width at least 1, not '{text}'.");
                    }

                    var function = w.Length == 3 ? w[2].ToUpperInvariant().Replace('-', '_') : "LINEAR";
                    if (function is not ("LINEAR" or "LINEAR_EXACT" or "SIGMOID"))
                    {
                        return (null, $"window function '{w[2]}' is not linear, linear-exact or sigmoid.");
                    }

                    result = result with { WindowCenter = center, WindowWidth = width, WindowFunction = function };
                    break;
                case "viewport":
                    var v = text.Split(',', StringSplitOptions.TrimEntries);
                    if (v.Length is not (2 or 6) || !Integer(v[0], out var vw) || !Integer(v[1], out var vh) || vw is < 1 or > 8192 || vh is < 1 or > 8192)
                    {
                        return (null, $"viewport must be vw,vh[,sx,sy,sw,sh] with sizes from 1 to 8192, not '{text}'.");
                    }

                    result = result with { ViewportWidth = vw, ViewportHeight = vh };
                    if (v.Length == 6)
                    {
                        if (!Integer(v[2], out var sx) || !Integer(v[3], out var sy) || !Integer(v[4], out var sw) || !Integer(v[5], out var sh) || sx < 0 || sy < 0 || sw < 1 || sh < 1)
                        {
                            return (null, $"The viewport's source region in '{text}' is not four non-negative integers with a positive size.");
                        }

                        result = result with { Region = (sx, sy, sw, sh) };
                    }

                    break;
                case "quality":
                    if (!Integer(text, out var quality) || quality is < 1 or > 100)
                    {
                        return (null, $"quality must be an integer from 1 to 100, not '{text}'.");
                    }

                    result = result with { Quality = quality };
                    break;
                default:
                    ignored.Add(key);
                    break;
            }
        }

        return (result, null);
    }

    private static bool Number(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool Integer(string text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
