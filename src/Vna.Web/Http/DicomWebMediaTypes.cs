namespace Vna.Web.Http;

/// <summary>Media types of PS3.18 and the transfer syntax each image media type stands for.</summary>
internal static class DicomWebMediaTypes
{
    public const string Dicom = "application/dicom";
    public const string DicomJson = "application/dicom+json";
    public const string Json = "application/json";
    public const string OctetStream = "application/octet-stream";
    public const string MultipartRelated = "multipart/related";
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";

    /// <summary>Explicit VR Little Endian: the default transfer syntax of application/dicom and of uncompressed bulk data.</summary>
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>The single-frame media type of an encapsulated transfer syntax (PS3.18 Table 8.7.3-2), or null for native ones.</summary>
    public static string? FrameMediaType(string transferSyntaxUid) => transferSyntaxUid switch
    {
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70" => Jpeg,
        "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" => "image/jls",
        "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91" => "image/jp2",
        "1.2.840.10008.1.2.4.92" or "1.2.840.10008.1.2.4.93" => "image/jpx",
        "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203" => "image/jphc",
        "1.2.840.10008.1.2.5" => "image/dicom-rle",
        "1.2.840.10008.1.2.4.110" or "1.2.840.10008.1.2.4.111" or "1.2.840.10008.1.2.4.112" => "image/jxl",
        _ => null,
    };
}
