using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Vna.Storage.Warm;

/// <summary>
/// Sends every body plain (a payload hash in <c>x-amz-content-sha256</c>) instead of aws-chunked: Ceph RGW (Pacific)
/// rejects trailing-checksum chunks and stores chunk framing for the others, and the transfer utility has no switch of its
/// own. Placed before the signer, after the marshaller chose the encoding.
/// </summary>
internal sealed class NoChunkHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        executionContext.RequestContext.Request.UseChunkEncoding = false;
        base.InvokeSync(executionContext);
    }

    public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        executionContext.RequestContext.Request.UseChunkEncoding = false;
        return base.InvokeAsync<T>(executionContext);
    }
}
