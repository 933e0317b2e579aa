namespace Vna.Storage.Warm;

/// <summary>What HEAD says about an object.</summary>
/// <param name="Length">Size in bytes.</param>
/// <param name="ETag">The server's entity tag, without quotes.</param>
/// <param name="Sha256">The SHA-256 the archive recorded in the object's metadata (x-amz-meta-sha256), or null.</param>
/// <param name="StorageClass">The storage class (STANDARD when the server does not say).</param>
/// <param name="RestoreInProgress">True while a restore of an archived object runs; false once restored; null when none was asked.</param>
public sealed record S3ObjectInfo(long Length, string ETag, string? Sha256, string StorageClass, bool? RestoreInProgress);
