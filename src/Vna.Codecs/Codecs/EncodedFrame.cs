namespace Vna.Codecs.Codecs;

/// <summary>One encoded frame and the Photometric Interpretation that describes it (e.g. YBR_RCT after a reversible colour transform).</summary>
internal sealed record EncodedFrame(byte[] Data, string Photometric);
