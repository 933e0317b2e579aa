using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;

namespace Vna.Storage.Warm;

/// <summary>An S3 client whose requests never use aws-chunked bodies (see <see cref="NoChunkHandler"/>).</summary>
internal sealed class NoChunkS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
{
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Signer>(new NoChunkHandler());
    }
}
