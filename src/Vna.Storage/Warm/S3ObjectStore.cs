using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vna.Storage.Warm;

/// <summary>
/// The archive's use of one S3-compatible server: verified writes (single PUT or multipart), reads, HEAD, deletes,
/// listings and restore requests, with a bound on the requests in flight. A single PUT is signed with the SHA-256 of the
/// source's bytes as its payload hash, which the server checks against the body it received (and refuses on a mismatch);
/// each part of a multipart upload carries Content-MD5 and the server's ETag is compared with the MD5 of the parts' MD5s
/// and its -N suffix. So a copy is trusted only once the destination has confirmed it.
/// Network failures and 5xx answers (after the SDK's retries with backoff) become <see cref="ObjectStoreUnavailableException"/>.
/// </summary>
public sealed class S3ObjectStore : IDisposable
{
    public const string Sha256MetadataKey = "x-amz-meta-sha256";


    private readonly IAmazonS3 _client;
    private readonly S3StorageOptions _options;
    private readonly SemaphoreSlim _requests;
    private readonly bool _ownsClient;

    public S3ObjectStore(S3StorageOptions options)
        : this(S3ClientFactory.Create(options), options, ownsClient: true)
    {
    }

    public S3ObjectStore(IAmazonS3 client, S3StorageOptions options, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _ownsClient = ownsClient;
        _requests = new SemaphoreSlim(options.MaxConcurrentRequests);
    }

    public S3StorageOptions Options => _options;

    /// <summary>Uploads bytes held in memory (manifests, small objects) and verifies them at the destination.</summary>
    public async Task<S3PutResult> PutBytesAsync(string bucket, string key, ReadOnlyMemory<byte> content, string contentType, string? storageClass, CancellationToken cancellationToken)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        return await PutSingleAsync(bucket, key, content, contentType, storageClass, sha, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads a local file (single PUT below <see cref="S3StorageOptions.MultipartThreshold"/>, else in parts) and verifies
    /// it at the destination. With <paramref name="expectedSha256"/>, the file is first checked against it: a source that no
    /// longer matches its recorded checksum is never copied.
    /// </summary>
    public async Task<S3PutResult> PutFileAsync(string bucket, string key, string path, string? expectedSha256, string contentType, string? storageClass, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length < _options.MultipartThreshold)
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
            try
            {
                int read;
                var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
                using (handle)
                {
                    read = 0;
                    while (read < length)
                    {
                        var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read, (int)length - read), read, cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            break;
                        }

                        read += n;
                    }
                }

                var content = buffer.AsMemory(0, read);
                var sha = Convert.ToHexStringLower(SHA256.HashData(content.Span));
                CheckSource(path, expectedSha256, sha);
                return await PutSingleAsync(bucket, key, content, contentType, storageClass, sha, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        var fileSha = expectedSha256;
        if (expectedSha256 is not null)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                fileSha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            }

            CheckSource(path, expectedSha256, fileSha);
        }

        return await PutMultipartAsync(bucket, key, path, length, fileSha, contentType, storageClass, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens an object for reading.</summary>
    /// <exception cref="FileNotFoundException">No such object.</exception>
    /// <exception cref="ObjectNotRestoredException">The object is archived and has not been restored.</exception>
    public async Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"No object {bucket}/{key}.", key, ex);
        }
        catch (AmazonS3Exception ex) when (string.Equals(ex.ErrorCode, "InvalidObjectState", StringComparison.Ordinal))
        {
            throw new ObjectNotRestoredException($"Object {bucket}/{key} is archived ({ex.Message}); it must be restored first.", ex);
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("GET", bucket, key, ex);
        }
        finally
        {
            _requests.Release();
        }
    }

    /// <summary>Downloads an object to a local file; returns its length.</summary>
    public async Task<long> DownloadAsync(string bucket, string key, string path, CancellationToken cancellationToken)
    {
        var source = await OpenReadAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                try
                {
                    await source.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
                {
                    throw Unavailable("GET", bucket, key, ex);
                }

                return target.Length;
            }
        }
    }

    /// <summary>HEAD: the object's size, ETag, recorded checksum, storage class and restore state; null when there is none.</summary>
    public async Task<S3ObjectInfo?> HeadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            var sha = head.Metadata[Sha256MetadataKey];
            var storageClass = head.StorageClass?.Value is { Length: > 0 } sc ? sc : "STANDARD";
            return new S3ObjectInfo(head.ContentLength, Unquote(head.ETag), string.IsNullOrEmpty(sha) ? null : sha, storageClass, head.RestoreInProgress);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("HEAD", bucket, key, ex);
        }
        finally
        {
            _requests.Release();
        }
    }

    /// <summary>Deletes an object (idempotent: a missing object is not an error).</summary>
    public async Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("DELETE", bucket, key, ex);
        }
        finally
        {
            _requests.Release();
        }
    }

    /// <summary>Deletes many objects, up to 1,000 per request (idempotent).</summary>
    public async Task DeleteManyAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var chunk in keys.Chunk(1000))
        {
            await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var request = new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Quiet = true,
                    Objects = [.. chunk.Select(k => new KeyVersion { Key = k })],
                };
                var response = await _client.DeleteObjectsAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.DeleteErrors is { Count: > 0 } errors)
                {
                    var first = errors[0];
                    throw new ObjectStoreUnavailableException($"S3 did not delete {errors.Count} objects of {bucket}, e.g. {first.Key}: {first.Code} {first.Message}");
                }
            }
            catch (DeleteObjectsException ex)
            {
                throw new ObjectStoreUnavailableException($"S3 did not delete objects of {bucket}: {ex.Message}", ex);
            }
            catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
            {
                throw Unavailable("DELETE (multi)", bucket, chunk[0], ex);
            }
            finally
            {
                _requests.Release();
            }
        }
    }

    /// <summary>Every key under a prefix, in S3's order.</summary>
    public async IAsyncEnumerable<string> ListKeysAsync(string bucket, string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            ListObjectsV2Response page;
            await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                page = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
            {
                throw Unavailable("LIST", bucket, prefix, ex);
            }
            finally
            {
                _requests.Release();
            }

            foreach (var o in page.S3Objects ?? [])
            {
                yield return o.Key;
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    /// <summary>
    /// Asks the server to restore an archived object for <see cref="S3StorageOptions.RestoreDays"/> days. Returns false when
    /// the server has no restore (it keeps every class readable: RGW's classes are pools), true when a restore was
    /// started or is already running.
    /// </summary>
    public async Task<bool> RequestRestoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.RestoreObjectAsync(new RestoreObjectRequest
            {
                BucketName = bucket,
                Key = key,
                Days = _options.RestoreDays,
                RetrievalTier = new GlacierJobTier(_options.RestoreTier),
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (string.Equals(ex.ErrorCode, "RestoreAlreadyInProgress", StringComparison.Ordinal))
        {
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed
                                           || string.Equals(ex.ErrorCode, "InvalidObjectState", StringComparison.Ordinal)
                                           || (ex.StatusCode == HttpStatusCode.BadRequest && !string.Equals(ex.ErrorCode, "InvalidArgument", StringComparison.Ordinal)))
        {
            // Not archived, or a server without archive classes: the object is readable as it is.
            return false;
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("RESTORE", bucket, key, ex);
        }
        finally
        {
            _requests.Release();
        }
    }

    public void Dispose()
    {
        _requests.Dispose();
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private static void CheckSource(string path, string? expected, string actual)
    {
        if (expected is not null && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new ObjectVerificationException($"The source {Path.GetFileName(path)} no longer matches its recorded SHA-256 ({actual} instead of {expected}); it is not copied.");
        }
    }

    /// <summary>
    /// One PUT whose <c>x-amz-content-sha256</c> is <paramref name="sha256"/>, the hash of the bytes read from the source
    /// (the signer uses it instead of hashing the body again): the server checks the body it received against it and
    /// refuses the PUT on a mismatch, so a stored object is the source's bytes, verified at the destination.
    /// </summary>
    internal async Task<S3PutResult> PutSingleAsync(string bucket, string key, ReadOnlyMemory<byte> content, string contentType, string? storageClass, string sha256, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = new ReadOnlyMemoryStream(content),
            AutoCloseStream = true,
            ContentType = contentType,
            UseChunkEncoding = false,
        };
        if (storageClass is not null)
        {
            request.StorageClass = new S3StorageClass(storageClass);
        }

        NoChunkHandler.PayloadHashes.AddOrUpdate(request, sha256);
        request.Metadata.Add(Sha256MetadataKey, sha256);
        string etag;
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            etag = Unquote(response.ETag);
        }
        catch (AmazonS3Exception ex) when (string.Equals(ex.ErrorCode, "BadDigest", StringComparison.Ordinal) || string.Equals(ex.ErrorCode, "XAmzContentSHA256Mismatch", StringComparison.Ordinal))
        {
            throw new ObjectVerificationException($"S3 refused {bucket}/{key}: the body it received does not match its checksum ({ex.ErrorCode}).", ex);
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("PUT", bucket, key, ex);
        }
        finally
        {
            _requests.Release();
        }

        if (etag.Length == 0)
        {
            // No answer to compare with: the object must at least be there with its size and checksum.
            var head = await HeadAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            if (head is null || head.Length != content.Length || !string.Equals(head.Sha256, sha256, StringComparison.Ordinal))
            {
                throw new ObjectVerificationException($"{bucket}/{key} is not at the destination as sent.");
            }

            etag = head.ETag;
        }

        return new S3PutResult(key, content.Length, etag, 1);
    }

    private async Task<S3PutResult> PutMultipartAsync(string bucket, string key, string path, long length, string? sha256, string contentType, string? storageClass, CancellationToken cancellationToken)
    {
        var partSize = _options.PartSize;
        var partCount = (int)((length + partSize - 1) / partSize);
        var initiate = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = contentType };
        if (storageClass is not null)
        {
            initiate.StorageClass = new S3StorageClass(storageClass);
        }

        if (sha256 is not null)
        {
            initiate.Metadata.Add(Sha256MetadataKey, sha256);
        }

        string uploadId;
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            uploadId = (await _client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false)).UploadId;
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            throw Unavailable("PUT (initiate multipart)", bucket, key, ex);
        }
        finally
        {
            _requests.Release();
        }

        var md5s = new byte[partCount][];
        var etags = new string[partCount];
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(4, _options.MaxConcurrentRequests), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, partCount), parallel, async (index, token) =>
            {
                var offset = index * partSize;
                var size = (int)Math.Min(partSize, length - offset);
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    var read = 0;
                    while (read < size)
                    {
                        var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read, size - read), offset + read, token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            throw new IOException($"{path} shrank while it was uploaded.");
                        }

                        read += n;
                    }

                    md5s[index] = MD5.HashData(buffer.AsSpan(0, size));
                    var part = new UploadPartRequest
                    {
                        BucketName = bucket,
                        Key = key,
                        UploadId = uploadId,
                        PartNumber = index + 1,
                        InputStream = new ReadOnlyMemoryStream(buffer.AsMemory(0, size)),
                        PartSize = size,
                        MD5Digest = Convert.ToBase64String(md5s[index]),
                        UseChunkEncoding = false,
                    };
                    await _requests.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        var response = await _client.UploadPartAsync(part, token).ConfigureAwait(false);
                        etags[index] = response.ETag;
                    }
                    catch (Exception ex) when (IsUnavailable(ex, token))
                    {
                        throw Unavailable($"PUT (part {index + 1} of {partCount})", bucket, key, ex);
                    }
                    finally
                    {
                        _requests.Release();
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }).ConfigureAwait(false);

            var complete = new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = [.. etags.Select((e, i) => new PartETag(i + 1, e))],
            };
            string etag;
            await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                etag = Unquote((await _client.CompleteMultipartUploadAsync(complete, cancellationToken).ConfigureAwait(false)).ETag);
            }
            catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
            {
                throw Unavailable("PUT (complete multipart)", bucket, key, ex);
            }
            finally
            {
                _requests.Release();
            }

            var expected = Convert.ToHexStringLower(MD5.HashData(md5s.SelectMany(m => m).ToArray())) + "-" + partCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await VerifyAsync(bucket, key, length, expected, etag, cancellationToken).ConfigureAwait(false);
            return new S3PutResult(key, length, expected, partCount);
        }
        catch
        {
            try
            {
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or OperationCanceledException)
            {
                // The server keeps the parts until its own clean-up; nothing refers to them.
            }

            throw;
        }
    }

    private async Task VerifyAsync(string bucket, string key, long length, string expectedEtag, string etag, CancellationToken cancellationToken)
    {
        if (etag.Length > 0 && string.Equals(etag, expectedEtag, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // Some servers answer a multipart completion without the ETag (RGW): HEAD has it.
        var head = await HeadAsync(bucket, key, cancellationToken).ConfigureAwait(false)
            ?? throw new ObjectVerificationException($"{bucket}/{key} is missing right after it was written.");
        if (head.Length != length || !string.Equals(head.ETag, expectedEtag, StringComparison.OrdinalIgnoreCase))
        {
            throw new ObjectVerificationException(
                $"{bucket}/{key} at the destination is {head.Length} bytes with ETag {head.ETag}; {length} bytes with ETag {expectedEtag} were sent.");
        }
    }

    private static string Unquote(string? etag) => (etag ?? string.Empty).Trim('"');

    private ObjectStoreUnavailableException Unavailable(string operation, string bucket, string key, Exception ex) =>
        new($"S3 at {(_options.ServiceUrl is { Length: > 0 } url ? url : _options.Region)} failed {operation} {bucket}/{key} after {_options.MaxRetries} retries: {ex.Message}", ex);

    private static bool IsUnavailable(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        ObjectStoreUnavailableException or ObjectVerificationException or ObjectNotRestoredException => false,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        AmazonServiceException service => (int)service.StatusCode >= 500 || service.StatusCode == 0 || service.InnerException is HttpRequestException or SocketException or IOException,
        AmazonClientException or HttpRequestException or SocketException or IOException => true,
        _ => false,
    };
}
