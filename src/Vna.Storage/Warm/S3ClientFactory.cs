using Amazon.Runtime;
using Amazon.S3;

namespace Vna.Storage.Warm;

/// <summary>Builds the S3 client with the settings that work against Ceph RGW, MinIO and AWS.</summary>
public static class S3ClientFactory
{
    public static IAmazonS3 Create(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Checksums only where an operation requires them: servers without trailing checksums (RGW Pacific) refuse the rest.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // The SDK's standard mode retries only transient failures (throttling, 5xx, I/O), with exponential backoff and jitter.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxRetries,
            Timeout = options.RequestTimeout,
            MaxConnectionsPerServer = Math.Max(options.MaxConcurrentRequests * 2, 4),
        };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return new NoChunkS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
