namespace Vna.Storage.Warm;

/// <summary>An object written and verified at the destination.</summary>
/// <param name="Key">Its key.</param>
/// <param name="Length">Its size.</param>
/// <param name="ETag">The server's entity tag (MD5 of the body, or of the parts' MD5s with -N for a multipart object), checked against ours.</param>
/// <param name="Parts">1 for a single PUT, else the number of parts.</param>
public sealed record S3PutResult(string Key, long Length, string ETag, int Parts);
