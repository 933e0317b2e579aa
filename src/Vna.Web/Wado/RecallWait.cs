using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Web.Http;

namespace Vna.Web.Wado;

/// <summary>Opens instances through <see cref="IInstanceContentSource"/>, waiting the configured time for a recall; the 202 answer when it is not done.</summary>
internal static class RecallWait
{
    public static TimeSpan MaxWait(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptionsMonitor<DicomWebOptions>>().CurrentValue.RecallWait;

    public static Task<InstanceContent> OpenAsync(HttpContext context, StoredInstance instance, CancellationToken cancellationToken) =>
        context.RequestServices.GetRequiredService<IInstanceContentSource>().OpenAsync(instance, MaxWait(context), cancellationToken);

    /// <summary>202 Accepted with Retry-After: the study is being recalled from the cold tier.</summary>
    public static IResult Pending(StudyRecallPendingException pending)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(pending.RetryAfter.TotalSeconds));
        return new RetryAfterResult(
            Problems.Create(StatusCodes.Status202Accepted, "Recall in progress",
                $"The study is being recalled from the cold tier; ask again in {seconds} s."),
            seconds.ToString(CultureInfo.InvariantCulture));
    }

    private sealed class RetryAfterResult(IResult inner, string retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = retryAfter;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
