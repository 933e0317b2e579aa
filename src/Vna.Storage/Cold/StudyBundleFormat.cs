namespace Vna.Storage.Cold;

/// <summary>
/// The cold tier's container: one per study, the whole of it LZ4-compressed (an LZ4 frame). Inside: the magic
/// <c>VNAB</c> and a version byte, then entries — a little-endian u16 name length, the UTF-8 name, an i64 length, the
/// bytes, the entry's 32-byte SHA-256 — and an end mark (name length 0) followed by the u32 entry count. The first entry is
/// <c>manifest.json</c>, then one <c>{Series}/{SOP}.dcm</c> per instance. A reader checks every entry's checksum and the
/// count, so truncation and corruption are found, never passed on.
/// </summary>
public static class StudyBundleFormat
{
    public const byte Version = 1;

    public const int MaxNameBytes = 1024;

    public static ReadOnlySpan<byte> Magic => "VNAB"u8;

    /// <summary>The entry name of an instance.</summary>
    public static string InstanceEntry(string seriesUid, string sopUid) => $"{seriesUid}/{sopUid}.dcm";
}
