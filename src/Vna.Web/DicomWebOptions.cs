namespace Vna.Web;

/// <summary>DICOMweb settings (section "DicomWeb" of the server configuration).</summary>
public sealed class DicomWebOptions
{
    public const string SectionName = "DicomWeb";

    /// <summary>Where the DICOMweb endpoints live.</summary>
    public const string BasePath = "/dicomweb";

    /// <summary>
    /// How long a retrieval waits for a study that is being recalled from the cold tier before it answers 202 Accepted
    /// with Retry-After (the recall goes on).
    /// </summary>
    public TimeSpan RecallWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>QIDO-RS: most matches in one answer; a larger limit is reduced to this, with a Warning header.</summary>
    public int MaxQueryLimit { get; set; } = 1000;

    /// <summary>QIDO-RS: matches in one answer when the request names no limit.</summary>
    public int DefaultQueryLimit { get; set; } = 100;

    /// <summary>Largest DICOM JSON metadata part accepted by STOW-RS (the bulk data parts are streamed to disk).</summary>
    public long MaxJsonPartSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>STOW-RS: parts stored at once within one request (each held in memory up to <see cref="StowBufferedPartSize"/>).</summary>
    public int StowConcurrency { get; set; } = 4;

    /// <summary>STOW-RS: a part up to this size is read into memory so the next can be read while it is stored; a larger one is streamed.</summary>
    public long StowBufferedPartSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Who may call: bearer tokens, or the loopback-only development mode.</summary>
    public DicomWebAuthenticationOptions Authentication { get; set; } = new();
}
