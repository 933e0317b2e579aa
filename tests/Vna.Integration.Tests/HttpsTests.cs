using System.Net;
using System.Text;
using Vna.Dicom.Network.Tests;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// The HTTP listener (DICOMweb, admin API) over TLS: with <c>Vna:HttpUrl</c> https and a certificate, the built server
/// serves STOW-RS, QIDO-RS and WADO-URI over HTTPS to .NET's client and to curl (OpenSSL) trusting that certificate only,
/// refuses to be talked to in clear text on that port, and will not start on settings that would leave it without TLS.
/// </summary>
public sealed class HttpsTests
{
    [Fact(Timeout = 300_000)]
    public async Task Dicomweb_is_served_over_https_with_the_configured_certificate_and_not_in_clear_text()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        PeerTool.Require("curl", "curl");
        using var scratch = new ScratchFolder("it-https");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        using var certificate = TestCertificate.Create(scratch.Path, "https");
        await using var server = await ServerProcess.StartAsync(
            new ServerSettings
            {
                Name = "https",
                Postgres = database.ConnectionString,
                WorkDirectory = scratch.Path,
                DataDirectory = scratch.Sub("data"),
                Https = certificate,
            },
            ct);
        Assert.Equal("https", server.BaseAddress.Scheme);
        using var http = certificate.CreateHttpClient(TimeSpan.FromSeconds(60));

        // STOW-RS over HTTPS.
        var instance = SyntheticCt.CreateStudy(910, 1, 1)[0];
        var bytes = await SyntheticCt.EncodeAsync(instance, ct);
        using var body = MultipartDicom.Create(bytes);
        using (var stored = await http.PostAsync(new Uri(server.BaseAddress, "dicomweb/studies"), body, ct))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        // The object is stored as sent.
        var placement = await ArchiveHttp.GetInstanceAsync(http, server.BaseAddress, instance.SopInstanceUid!, ct);
        Assert.NotNull(placement);
        Assert.Equal(SyntheticCt.Sha256(bytes), placement.Sha256);

        // QIDO-RS and WADO-URI through curl, which trusts only this certificate (--cacert).
        var studyUid = instance.Study.StudyInstanceUid;
        var qido = await PeerTool.RunAsync("curl", ["-sS", "--fail", "--noproxy", "*", "--cacert", certificate.CertificatePath, $"{server.BaseAddress}dicomweb/studies?StudyInstanceUID={studyUid}"], TimeSpan.FromSeconds(60), ct);
        Assert.True(qido.ExitCode == 0, $"curl QIDO-RS exited {qido.ExitCode}: {qido.Output}");
        Assert.Contains(studyUid, qido.Output, StringComparison.Ordinal);

        var retrieved = Path.Combine(scratch.Path, "wado.dcm");
        var wado = await PeerTool.RunAsync(
            "curl",
            ["-sS", "--fail", "--noproxy", "*", "--cacert", certificate.CertificatePath, "-o", retrieved,
             $"{server.BaseAddress}dicomweb/wado?requestType=WADO&studyUID={studyUid}&seriesUID={instance.SeriesInstanceUid}&objectUID={instance.SopInstanceUid}&contentType=application/dicom"],
            TimeSpan.FromSeconds(60),
            ct);
        Assert.True(wado.ExitCode == 0, $"curl WADO-URI exited {wado.ExitCode}: {wado.Output}");
        var object_ = await File.ReadAllBytesAsync(retrieved, ct);
        Assert.Equal("DICM"u8.ToArray(), object_.AsSpan(128, 4).ToArray());
        Assert.Contains(instance.SopInstanceUid!, Encoding.ASCII.GetString(object_), StringComparison.Ordinal);

        // curl without the certificate refuses the server (60: peer certificate cannot be authenticated): real TLS, with
        // the configured certificate, not a client that accepts anything.
        var untrusted = await PeerTool.RunAsync("curl", ["-sS", "--noproxy", "*", "-o", "/dev/null", $"{server.BaseAddress}health"], TimeSpan.FromSeconds(60), ct);
        Assert.Equal(60, untrusted.ExitCode);

        // Clear text to the same port gets no HTTP answer with data.
        using var plain = ArchiveHttp.CreateClient(TimeSpan.FromSeconds(10));
        var clear = new UriBuilder(server.BaseAddress) { Scheme = "http", Path = "dicomweb/studies", Query = $"StudyInstanceUID={studyUid}" }.Uri;
        try
        {
            using var response = await plain.GetAsync(clear, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.False(response.IsSuccessStatusCode, $"clear text answered {(int)response.StatusCode}");
            Assert.DoesNotContain(studyUid, text, StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            // The connection was closed: nothing was served.
        }

        // The server still serves HTTPS afterwards.
        using var health = await http.GetAsync(new Uri(server.BaseAddress, "health"), ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact(Timeout = 300_000)]
    public async Task Settings_that_would_leave_the_listener_without_tls_stop_the_server_at_start_naming_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        using var scratch = new ScratchFolder("it-https-bad");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        using var certificate = TestCertificate.Create(scratch.Path, "https");
        var settings = new ServerSettings { Name = "https-bad", Postgres = database.ConnectionString, WorkDirectory = scratch.Path, DataDirectory = scratch.Sub("data") };

        // https without a certificate.
        var noCertificate = settings with
        {
            Configuration = new Dictionary<string, string> { ["Vna__HttpUrl"] = $"https://127.0.0.1:{settings.HttpPort}" },
        };
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ServerProcess.StartAsync(noCertificate, ct, TimeSpan.FromSeconds(60)));
        Assert.Contains("Vna:HttpsCertificatePath is not set", failure.Message, StringComparison.Ordinal);

        // A certificate with plain http: it would be ignored, so the start is refused.
        var ignored = settings with
        {
            Configuration = new Dictionary<string, string>
            {
                ["Vna__HttpsCertificatePath"] = certificate.CertificatePath,
                ["Vna__HttpsKeyPath"] = certificate.KeyPath,
            },
        };
        failure = await Assert.ThrowsAnyAsync<Exception>(() => ServerProcess.StartAsync(ignored, ct, TimeSpan.FromSeconds(60)));
        Assert.Contains("is not https://", failure.Message, StringComparison.Ordinal);

        // A key that is not the certificate's.
        var otherKey = TestCertificate.Create(scratch.Sub("other"), "other");
        otherKey.Dispose();
        var wrongKey = settings with
        {
            Https = certificate,
            Configuration = new Dictionary<string, string> { ["Vna__HttpsKeyPath"] = otherKey.KeyPath },
        };
        failure = await Assert.ThrowsAnyAsync<Exception>(() => ServerProcess.StartAsync(wrongKey, ct, TimeSpan.FromSeconds(60)));
        Assert.Contains("Vna:HttpsCertificatePath: cannot load the PEM certificate " + certificate.CertificatePath, failure.Message, StringComparison.Ordinal);
    }
}
