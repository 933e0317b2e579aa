using System.Globalization;
using System.Security.Cryptography;
using Vna.Dicom;
using Vna.Dicom.Network;
using Vna.Testing;

namespace Vna.Dimse.Tests;

/// <summary>
/// One archive server with the DIMSE front end on a fresh database: AE title VNA, a plain and a TLS port, department
/// "default" for STORESCU/ECHOSCU/FUZZER, "viewers" (query only) for VIEWER, a user "alice" with a passcode, at most
/// <see cref="MaxAssociations"/> associations, short ARTIM.
/// </summary>
public sealed class DimseServerFixture : IAsyncLifetime
{
    public const int MaxAssociations = 6;
    public const string AeTitle = "VNA";

    private ScratchFolder? _scratch;

    public string? Unavailable { get; private set; }

    public TestDatabase Database { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public string DataDirectory { get; private set; } = "";

    public int Port => Server.Settings.DimsePort;

    public int TlsPort { get; } = FreePorts.Next();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var (admin, problem) = await TestPostgres.GetAsync();
        if (admin is null)
        {
            Unavailable = $"PostgreSQL is not available: {problem} (set VNA_TEST_PG, or run deploy/local/pg start)";
            if (TestPostgres.InCi)
            {
                throw new InvalidOperationException("CI=true, so this fails rather than skips: " + Unavailable);
            }

            return;
        }

        _scratch = new ScratchFolder("dimse");
        Database = await TestDatabase.CreateAsync(admin, "vna_dimse", ct);
        DataDirectory = _scratch.Sub("data");
        using var certificate = TestCertificate.Create(_scratch.Path, "dimse-tls");
        var configuration = new Dictionary<string, string>
        {
            ["Vna__AeTitle"] = AeTitle,
            ["Archive__DuplicatePolicy"] = "Replace",
            ["Archive__Departments__0__Name"] = "default",
            ["Archive__Departments__0__AeTitles__0"] = "STORESCU",
            ["Archive__Departments__0__AeTitles__1"] = "ECHOSCU",
            ["Archive__Departments__0__AeTitles__2"] = "FUZZER",
            ["Archive__Departments__0__AeTitles__3"] = "VNASCU",
            ["Archive__Departments__1__Name"] = "viewers",
            ["Archive__Departments__1__AeTitles__0"] = "VIEWER",
            ["Archive__Departments__1__AllowedOperations__0"] = "query",
            ["Dimse__MaxAssociations"] = MaxAssociations.ToString(CultureInfo.InvariantCulture),
            ["Dimse__ArtimTimeoutSeconds"] = "3",
            ["Dimse__TlsPort"] = TlsPort.ToString(CultureInfo.InvariantCulture),
            ["Dimse__TlsCertificatePath"] = certificate.CertificatePath,
            ["Dimse__TlsKeyPath"] = certificate.KeyPath,
            ["Dimse__Users__0__Username"] = "alice",
            ["Dimse__Users__0__Password"] = "wonderland",
        };
        Server = await ServerProcess.StartAsync(
            new ServerSettings { Name = "dimse", Postgres = Database.ConnectionString, WorkDirectory = _scratch.Path, DataDirectory = DataDirectory, Configuration = configuration },
            ct);
        await WaitForDimseAsync(ct);
    }

    /// <summary>Skips the test when PostgreSQL is missing (outside CI).</summary>
    public void RequireServer()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

    public DicomClientOptions Client(bool tls = false) => new()
    {
        Host = "127.0.0.1",
        Port = tls ? TlsPort : Port,
        UseTls = tls,
        ServerCertificateValidation = (_, _, _, _) => true,
        Association = new DicomAssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(10) },
    };

    public static AssociateRequest Request(string callingAe = "VNASCU", string calledAe = AeTitle, UserIdentity? identity = null, params PresentationContext[] contexts) => new()
    {
        CalledAeTitle = calledAe,
        CallingAeTitle = callingAe,
        UserIdentity = identity,
        PresentationContexts = contexts.Length > 0
            ? contexts
            : [new PresentationContext(1, VerificationService.SopClassUid, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid])],
    };

    /// <summary>C-ECHO on a new association: the server is still serving.</summary>
    public async Task AssertServingAsync(CancellationToken cancellationToken)
    {
        var association = await DicomClient.ConnectAsync(Client(), Request(), cancellationToken);
        Assert.Equal(DimseStatus.Success, await association.EchoAsync(cancellationToken));
        await association.ReleaseAsync(cancellationToken);
    }

    public Task<long> InstanceCountAsync(CancellationToken cancellationToken) =>
        Database.ScalarAsync<long>("SELECT count(*) FROM instance", cancellationToken);

    /// <summary>Every indexed instance's file exists and has the SHA-256 and size the index holds: nothing half-received is indexed.</summary>
    public async Task AssertIndexIsWholeAsync(CancellationToken cancellationToken)
    {
        var rows = await Database.QueryAsync("SELECT location, sha256, size FROM instance", r => (r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken);
        foreach (var (location, sha256, size) in rows)
        {
            var path = Path.Combine(DataDirectory, "hot", location);
            Assert.True(File.Exists(path), $"indexed {location} has no file");
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            Assert.Equal(size, bytes.LongLength);
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    /// <summary>Temporary files left on the hot tier (a half-received object must not stay).</summary>
    public int TemporaryFiles()
    {
        var tmp = Path.Combine(DataDirectory, "hot", "tmp");
        return Directory.Exists(tmp) ? Directory.EnumerateFiles(tmp, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".owner", StringComparison.Ordinal)) : 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        _scratch?.Dispose();
    }

    private async Task WaitForDimseAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await AssertServingAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (attempt < 100 && ex is System.Net.Sockets.SocketException or IOException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
