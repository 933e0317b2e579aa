namespace Vna.Cli.Dump;

/// <summary>The output of <c>vna dump</c>.</summary>
internal enum DumpFormat
{
    /// <summary>A readable listing in the style of DCMTK's dcmdump.</summary>
    Text,

    /// <summary>One JSON object per file per line, data sets in DICOM JSON (PS3.18 F).</summary>
    Json,

    /// <summary>The normalised form compared with pydicom by the tests (hidden option).</summary>
    Canonical,
}
