using System.Text.Encodings.Web;

namespace Vna.Dicom;

/// <summary>How <see cref="DicomJson"/> writes the DICOM JSON Model.</summary>
public sealed record DicomJsonWriterOptions
{
    public static DicomJsonWriterOptions Default { get; } = new();

    /// <summary>
    /// Gives the BulkDataURI for a value, or null to write the value inline ("InlineBinary" for OB, OD, OF, OL, OV, OW and
    /// UN, "Value" otherwise). Called for binary elements (<see cref="DicomElement"/> of a VR that
    /// <see cref="DicomVRExtensions.IsBulkCandidate"/>), for encapsulated pixel data (<see cref="DicomFragmentSequence"/>)
    /// and for other elements whose value is held by reference (<see cref="DicomElement.IsBulkData"/>) when PS3.18 allows a
    /// BulkDataURI for their VR (DS, FL, FD, IS, LT, SL, SS, ST, SV, UC, UL, US, UT, UV); never for empty values or values of
    /// at most <see cref="InlineBinaryThreshold"/> bytes.
    /// </summary>
    public Func<DicomItem, string?>? BulkDataUriFactory { get; init; }

    /// <summary>Values of at most this many bytes are always written inline; 0 (the default) asks the factory for every non-empty candidate.</summary>
    public int InlineBinaryThreshold { get; init; }

    /// <summary>Write group length elements (gggg,0000); PS3.18 F.2.2 says they shall not be included, so false by default.</summary>
    public bool WriteGroupLengths { get; init; }

    /// <summary>Indent the output (for people); false writes compact JSON.</summary>
    public bool Indented { get; init; }

    /// <summary>
    /// The encoder of <see cref="DicomJson.Serialize"/> and the stream methods; null uses
    /// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>, which writes non-ASCII text as UTF-8 (RFC 8259) rather than
    /// \u escapes. Pass <see cref="JavaScriptEncoder.Default"/> when the JSON may be embedded in HTML.
    /// <see cref="DicomJson.Write(System.Text.Json.Utf8JsonWriter, DicomDataset, DicomJsonWriterOptions?)"/> uses the writer's own settings.
    /// </summary>
    public JavaScriptEncoder? Encoder { get; init; }
}
