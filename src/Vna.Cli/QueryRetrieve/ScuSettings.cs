using System.CommandLine;
using System.Globalization;
using Vna.Dicom.Network;

namespace Vna.Cli.QueryRetrieve;

/// <summary>The options every DIMSE SCU command shares: where the archive listens and the AE titles.</summary>
internal sealed class ScuSettings
{
    public Option<string> Host { get; } = new("--host") { Description = "The archive's DIMSE host.", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<int> Port { get; } = new("--port", "-p") { Description = "The archive's DIMSE port.", DefaultValueFactory = _ => 11112 };

    public Option<string> CallingAe { get; } = new("--aet") { Description = "This tool's (calling) AE title.", DefaultValueFactory = _ => "VNACLI" };

    public Option<string> CalledAe { get; } = new("--aec") { Description = "The archive's (called) AE title.", DefaultValueFactory = _ => "VNA" };

    public Option<bool> Tls { get; } = new("--tls") { Description = "Connect with DICOM TLS (the archive's TLS port, typically 2762)." };

    public Option<bool> TlsNoVerify { get; } = new("--tls-no-verify") { Description = "Accept any server certificate (self-signed test setups only)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(CallingAe);
        command.Options.Add(CalledAe);
        command.Options.Add(Tls);
        command.Options.Add(TlsNoVerify);
    }

    /// <summary>"AE@host:port" for messages.</summary>
    public string Describe(ParseResult parse) =>
        string.Create(CultureInfo.InvariantCulture, $"{parse.GetValue(CalledAe)}@{parse.GetValue(Host)}:{parse.GetValue(Port)}");

    public Task<DicomAssociation> ConnectAsync(ParseResult parse, IReadOnlyList<PresentationContext> contexts, IReadOnlyList<RoleSelection> roles, DimseServiceRegistry? services, CancellationToken cancellationToken) =>
        DicomClient.ConnectAsync(
            new DicomClientOptions
            {
                Host = parse.GetValue(Host)!,
                Port = parse.GetValue(Port),
                Services = services,
                UseTls = parse.GetValue(Tls),
                ServerCertificateValidation = parse.GetValue(TlsNoVerify) ? (_, _, _, _) => true : null,
            },
            new AssociateRequest
            {
                CalledAeTitle = parse.GetValue(CalledAe)!,
                CallingAeTitle = parse.GetValue(CallingAe)!,
                PresentationContexts = contexts,
                RoleSelections = roles,
            },
            cancellationToken);

    public static string Hex(ushort status) => "0x" + status.ToString("X4", CultureInfo.InvariantCulture);
}
