using System.Net;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>A server refusing objects over 1 MiB, with one good study of three instances stored by STOW-RS before the bad input arrives.</summary>
public sealed class BadInputFixture : WebServerFixture
{
    public const long Limit = 1024 * 1024;

    public IReadOnlyList<SyntheticInstance> Good { get; private set; } = [];

    public Dictionary<string, byte[]> GoodBytes { get; } = new(StringComparer.Ordinal);

    protected override string Name => "web-bad";

    protected override long MaxObjectSize => Limit;

    protected override async Task OnStartedAsync(CancellationToken cancellationToken)
    {
        Good = SyntheticCt.CreateStudy(700, 1, 3);
        foreach (var instance in Good)
        {
            GoodBytes[instance.SopInstanceUid!] = await SyntheticCt.EncodeAsync(instance, cancellationToken);
        }

        var stored = await StowClient.StoreAsync(Http, DicomWeb, GoodBytes.Values, cancellationToken);
        if (stored.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The good study could not be stored: {stored}\n{Server.LogTail()}");
        }
    }
}
