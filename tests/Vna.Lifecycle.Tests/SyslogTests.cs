using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Vna.Core;
using Vna.Index.Postgres;
using Vna.Testing;

namespace Vna.Lifecycle.Tests;

/// <summary>DICOM audit messages (PS3.15 A.5) in RFC 5424 syslog frames, over UDP and TCP, after the record is in the trail.</summary>
public sealed class SyslogTests
{
    private static readonly AuditRecord Purge = new()
    {
        At = new DateTimeOffset(2036, 2, 4, 0, 0, 0, TimeSpan.Zero),
        Actor = "system:lifecycle",
        Action = "purge",
        StudyInstanceUid = "1.2.826.0.1.3680043.10.99.1",
        Reason = "rule 'default' of default@2026.1: purge after 30d grace",
        PolicyVersion = "default@2026.1",
    };

    [Fact]
    public void A_purge_is_a_DICOM_Study_Deleted_event_about_the_study()
    {
        var xml = XElement.Parse(DicomAuditMessage.Render(Purge, "VNA-TEST"));
        var id = xml.Element("EventIdentification")!;
        Assert.Equal("D", id.Attribute("EventActionCode")!.Value);
        Assert.Equal("0", id.Attribute("EventOutcomeIndicator")!.Value);
        Assert.Equal("110105", id.Element("EventID")!.Attribute("csd-code")!.Value);
        Assert.Equal("VNA-TEST", xml.Element("AuditSourceIdentification")!.Attribute("AuditSourceID")!.Value);
        Assert.Equal("system:lifecycle", xml.Element("ActiveParticipant")!.Attribute("UserID")!.Value);
        var participant = xml.Element("ParticipantObjectIdentification")!;
        Assert.Equal(Purge.StudyInstanceUid, participant.Attribute("ParticipantObjectID")!.Value);
        Assert.Equal("110180", participant.Element("ParticipantObjectIDTypeCode")!.Attribute("csd-code")!.Value);
        var version = participant.Elements("ParticipantObjectDetail").Single(d => d.Attribute("type")!.Value == "PolicyVersion");
        Assert.Equal("default@2026.1", Encoding.UTF8.GetString(Convert.FromBase64String(version.Attribute("value")!.Value)));
    }

    [Fact]
    public void A_policy_change_is_a_security_configuration_alert()
    {
        var xml = XElement.Parse(DicomAuditMessage.Render(Purge with { Action = "policy-activated", StudyInstanceUid = null }, "VNA"));
        var id = xml.Element("EventIdentification")!;
        Assert.Equal("110113", id.Element("EventID")!.Attribute("csd-code")!.Value);
        Assert.Equal("110129", id.Element("EventTypeCode")!.Attribute("csd-code")!.Value);
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task Each_record_reaches_the_trail_then_the_collector(string protocol)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var archive = await LifecycleHarness.StartAsync(ct);
        var port = FreePorts.Next();
        using var udp = protocol == "udp" ? new UdpClient(new IPEndPoint(IPAddress.Loopback, port)) : null;
        var tcp = protocol == "tcp" ? new TcpListener(IPAddress.Loopback, port) : null;
        tcp?.Start();
        try
        {
            var options = new SyslogOptions { Enabled = true, Host = "127.0.0.1", Port = port, Protocol = protocol, AuditSourceId = "VNA-TEST" };
            using var sink = new SyslogAuditSink(archive.Audit, options, NullLogger<SyslogAuditSink>.Instance);
            await sink.StartAsync(ct);
            await sink.WriteAsync(Purge, ct);

            byte[] frame;
            if (udp is not null)
            {
                frame = (await udp.ReceiveAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct)).Buffer;
            }
            else
            {
                using var client = await tcp!.AcceptTcpClientAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
                var stream = client.GetStream();
                var buffer = new byte[64 * 1024];
                var read = 0;
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (DateTime.UtcNow < deadline && (read < 8 || !Complete(buffer.AsSpan(0, read))))
                {
                    read += await stream.ReadAsync(buffer.AsMemory(read), ct);
                }

                var text = Encoding.UTF8.GetString(buffer, 0, read);
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                Assert.Equal(read - space - 1, int.Parse(text[..space], System.Globalization.CultureInfo.InvariantCulture)); // RFC 6587 octet count
                frame = buffer[(space + 1)..read];
            }

            var message = Encoding.UTF8.GetString(frame);
            Assert.StartsWith("<85>1 2036-02-04T00:00:00.000Z ", message, StringComparison.Ordinal); // facility 10 × 8 + notice (5)
            Assert.Contains(" DICOM+RFC3881 - ", message, StringComparison.Ordinal);
            Assert.Contains("csd-code=\"110105\"", message, StringComparison.Ordinal);
            // The collector can have the frame before the sender counts it: stop the sender (it finishes the record it
            // is on) before looking at its count.
            await sink.StopAsync(ct);
            Assert.Equal(1, sink.Sent);
            var trail = Assert.Single(await archive.Audit.ListAsync(new AuditQuery { Action = "purge" }, ct));
            Assert.Equal(Purge.StudyInstanceUid, trail.Record.StudyInstanceUid);
        }
        finally
        {
            tcp?.Stop();
        }
    }

    private static bool Complete(ReadOnlySpan<byte> received)
    {
        var space = received.IndexOf((byte)' ');
        return space > 0 && int.TryParse(Encoding.ASCII.GetString(received[..space]), out var length) && received.Length >= space + 1 + length;
    }
}
