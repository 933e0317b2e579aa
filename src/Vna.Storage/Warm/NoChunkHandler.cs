using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Vna.Storage.Warm;

/// <summary>
/// Sends every body plain (a payload hash in <c>x-amz-content-sha256</c>) instead of aws-chunked: Ceph RGW (Pacific)
/// rejects trailing-checksum chunks and stores chunk framing for the others, and the transfer utility has no switch of its
/// own. Placed before the signer, after the marshaller chose the encoding.
/// </summary>
/// <remarks>
/// It also gives the signer the payload hash the archive computed already (<see cref="PayloadHashes"/>): the signer then
/// does not hash the body again, and the server checks the body against the archive's own SHA-256 of the source.
/// </remarks>
internal sealed class NoChunkHandler : PipelineHandler
{
    /// <summary>Pre-computed SHA-256 (lower-case hex) of a request's body.</summary>
    public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AmazonWebServiceRequest, string> PayloadHashes = new();

    public override void InvokeSync(IExecutionContext executionContext)
    {
        Prepare(executionContext);
        base.InvokeSync(executionContext);
    }

    public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        Prepare(executionContext);
        return base.InvokeAsync<T>(executionContext);
    }

    private static void Prepare(IExecutionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        var request = executionContext.RequestContext.Request;
        request.UseChunkEncoding = false;
        if (PayloadHashes.TryGetValue(executionContext.RequestContext.OriginalRequest, out var sha256))
        {
            request.PrecomputedContentSha256 = sha256;
        }
    }
}
