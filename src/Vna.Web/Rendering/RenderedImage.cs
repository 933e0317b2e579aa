namespace Vna.Web.Rendering;

/// <summary>An 8-bit image ready to encode: <see cref="Channels"/> 1 (grey) or 3 (RGB, interleaved), rows top to bottom.</summary>
public sealed record RenderedImage(int Width, int Height, int Channels, byte[] Pixels);
