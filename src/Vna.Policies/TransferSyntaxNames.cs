namespace Vna.Policies;

/// <summary>The short names a policy may give a lossless transfer syntax to re-encode to on a move.</summary>
public static class TransferSyntaxNames
{
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";
    public const string HtJpeg2000Lossless = "1.2.840.10008.1.2.4.201";
    public const string JpegLsLossless = "1.2.840.10008.1.2.4.80";
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>The UID for a short name (j2k-lossless, htj2k-lossless, jpegls-lossless, rle), or the text itself when it is a UID.</summary>
    public static string Resolve(string nameOrUid) => nameOrUid switch
    {
        "j2k-lossless" => Jpeg2000Lossless,
        "htj2k-lossless" => HtJpeg2000Lossless,
        "jpegls-lossless" => JpegLsLossless,
        "rle" => RleLossless,
        _ => nameOrUid,
    };
}
