namespace Vna.Dicom.Network.Tests;

/// <summary>A <see cref="DicomServer"/> on a free loopback port with the given services.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(DicomServer server) => Server = server;

    public DicomServer Server { get; }

    public int Port => Server.LocalEndPoints[0].Port;

    public static async Task<TestServer> StartAsync(DimseServiceRegistry services, Action<DicomServerOptions>? configure = null)
    {
        var options = new DicomServerOptions();
        options.Endpoints.Add(new DicomEndpoint("127.0.0.1", 0));
        options.Association.ArtimTimeout = TimeSpan.FromSeconds(5);
        configure?.Invoke(options);
        var server = new DicomServer(options, services);
        await server.StartAsync(TestContext.Current.CancellationToken);
        return new TestServer(server);
    }

    public DicomClientOptions Client(Action<DicomClientOptions>? configure = null)
    {
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = Port };
        configure?.Invoke(options);
        return options;
    }

    public static AssociateRequest Request(params PresentationContext[] contexts) => new()
    {
        CalledAeTitle = "TESTSCP",
        CallingAeTitle = "TESTSCU",
        PresentationContexts = contexts.Length > 0
            ? contexts
            : [new PresentationContext(1, VerificationService.SopClassUid, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])],
    };

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
