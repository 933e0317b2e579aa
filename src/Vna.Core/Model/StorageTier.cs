namespace Vna.Core;

/// <summary>Where a copy of an instance lives.</summary>
public enum StorageTier
{
    /// <summary>Local SSD: the ingest tier.</summary>
    Hot = 0,

    /// <summary>S3-compatible object storage.</summary>
    Warm = 1,

    /// <summary>One bundle per study in a cold bucket or storage class; recall before reading.</summary>
    Cold = 2,
}
