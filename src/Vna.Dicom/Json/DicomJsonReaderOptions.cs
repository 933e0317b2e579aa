namespace Vna.Dicom;

/// <summary>How <see cref="DicomJson"/> reads the DICOM JSON Model.</summary>
public sealed record DicomJsonReaderOptions
{
    public static DicomJsonReaderOptions Default { get; } = new();

    /// <summary>
    /// Turns a BulkDataURI into a reference to its value (the URI, the attribute's tag and VR). When null, or when it returns
    /// null, the element keeps an empty value that remembers its URI: <see cref="DicomJson.GetBulkDataUri"/> gives it back,
    /// reading the value throws <see cref="InvalidOperationException"/>, and writing the data set as JSON writes the URI again.
    /// </summary>
    public Func<string, DicomTag, DicomVR, BulkDataReference?>? BulkDataResolver { get; init; }

    /// <summary>
    /// Reject what PS3.18 Annex F does not allow but real documents contain: keys out of order, lower-case hex keys, duplicate
    /// keys or members, a missing "vr", unknown members, PN values given as plain strings, numbers given as strings (other than
    /// SV/UV values and FL/FD "NaN"/"Infinity"/"-Infinity", which this library writes itself), InlineBinary or BulkDataURI on
    /// VRs that do not allow them, "Value" on OB/OW/UN…, a null "Value", several values for LT/ST/UT/UR, a backslash inside a
    /// multi-valued string, non-ASCII text in a VR limited to the default repertoire, a top-level object where an array is
    /// expected, JSON comments and trailing commas. When false (the default) these are accepted as well as they can be.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>The deepest JSON nesting accepted (each sequence level takes three).</summary>
    public int MaxDepth { get; init; } = 256;
}
