using System.ComponentModel.DataAnnotations;

namespace Vna.Storage.Warm;

/// <summary>
/// The S3-compatible object storage of the warm and cold tiers. The defaults work against Ceph RGW, MinIO and AWS:
/// checksums only when an operation requires them, plain (not aws-chunked) bodies, path-style addressing optional.
/// </summary>
public sealed class S3StorageOptions
{
    /// <summary>Endpoint, e.g. http://127.0.0.1:57480/ (empty: AWS in <see cref="Region"/>).</summary>
    public string ServiceUrl { get; set; } = string.Empty;

    public string Region { get; set; } = "us-east-1";

    [Required]
    public string AccessKey { get; set; } = string.Empty;

    [Required]
    public string SecretKey { get; set; } = string.Empty;

    /// <summary>Path-style URLs (http://host/bucket/key): on-premises servers need them; AWS accepts both.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>The warm tier's bucket: one object per instance plus one manifest per study.</summary>
    public string WarmBucket { get; set; } = "vna-warm";

    /// <summary>The cold tier's bucket: one LZ4 bundle per study plus its manifest.</summary>
    public string ColdBucket { get; set; } = "vna-cold";

    /// <summary>Storage class of warm objects (null: the bucket's default).</summary>
    public string? WarmStorageClass { get; set; }

    /// <summary>Storage class of cold bundles, e.g. GLACIER, DEEP_ARCHIVE or a class the server defines (null: the default).</summary>
    public string? ColdStorageClass { get; set; } = "GLACIER";

    /// <summary>Objects at or above this size are uploaded in parts.</summary>
    [Range(5 * 1024 * 1024, long.MaxValue)]
    public long MultipartThreshold { get; set; } = 16L * 1024 * 1024;

    /// <summary>Size of one part of a multipart upload (S3's minimum is 5 MiB).</summary>
    [Range(5 * 1024 * 1024, 5L * 1024 * 1024 * 1024)]
    public long PartSize { get; set; } = 8L * 1024 * 1024;

    /// <summary>Requests in flight at once against the server, across the process.</summary>
    [Range(1, 256)]
    public int MaxConcurrentRequests { get; set; } = 8;

    /// <summary>Retries of a request that failed transiently (throttling, 5xx, a dropped connection), with exponential backoff.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Time limit of one request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Days a restored copy of an archived bundle stays readable.</summary>
    [Range(1, 365)]
    public int RestoreDays { get; set; } = 2;

    /// <summary>Retrieval tier of a restore request (Expedited, Standard, Bulk).</summary>
    public string RestoreTier { get; set; } = "Standard";
}
