namespace Vna.Storage.Warm;

/// <summary>The object keys of the warm and cold tiers: self-describing, derived from the UIDs alone.</summary>
public static class TierKeys
{
    public const string StudiesPrefix = "studies/";

    public const string ManifestName = "manifest.json";

    public const string BundleName = "study.vnab";

    /// <summary><c>studies/{Study}/{Series}/{SOP}.dcm</c></summary>
    public static string Instance(string studyUid, string seriesUid, string sopUid) =>
        $"{StudiesPrefix}{Check(studyUid)}/{Check(seriesUid)}/{Check(sopUid)}.dcm";

    /// <summary><c>studies/{Study}/manifest.json</c> (in the bucket of the tier holding the study).</summary>
    public static string Manifest(string studyUid) => $"{StudiesPrefix}{Check(studyUid)}/{ManifestName}";

    /// <summary><c>studies/{Study}/study.vnab</c>: the cold bundle.</summary>
    public static string Bundle(string studyUid) => $"{StudiesPrefix}{Check(studyUid)}/{BundleName}";

    /// <summary>The study UID of a manifest key, or null when the key is not one.</summary>
    public static string? StudyOfManifest(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.StartsWith(StudiesPrefix, StringComparison.Ordinal) || !key.EndsWith("/" + ManifestName, StringComparison.Ordinal))
        {
            return null;
        }

        var uid = key[StudiesPrefix.Length..^(ManifestName.Length + 1)];
        return uid.Length > 0 && !uid.Contains('/', StringComparison.Ordinal) ? uid : null;
    }

    private static string Check(string uid)
    {
        // UIDs are digits and dots; anything else in a key could address another study's objects.
        if (string.IsNullOrEmpty(uid) || uid.Length > 64 || uid.Any(c => c is not (>= '0' and <= '9') and not '.'))
        {
            throw new ArgumentException($"'{uid}' is not a DICOM UID.", nameof(uid));
        }

        return uid;
    }
}
