using System.Net.Security;
using System.Net.Sockets;

namespace Vna.Dicom.Network;

/// <summary>
/// The SCU side: opens a TCP (or TLS) connection with Nagle disabled and requests an association. Use the returned
/// <see cref="DicomAssociation"/> to send requests (<see cref="DicomAssociation.RequestAsync"/>), then release it.
/// </summary>
public static class DicomClient
{
    /// <summary>Connects and negotiates; throws <see cref="DicomAssociationRejectedException"/> when rejected.</summary>
    public static async Task<DicomAssociation> ConnectAsync(DicomClientOptions options, AssociateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(options.ConnectTimeout);
                await socket.ConnectAsync(options.Host, options.Port, connect.Token).ConfigureAwait(false);
            }

            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = options.TlsTargetHost ?? options.Host,
                        RemoteCertificateValidationCallback = options.ServerCertificateValidation,
                        ClientCertificates = options.ClientCertificates,
                        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                    },
                    cancellationToken).ConfigureAwait(false);
                stream = tls;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await DicomAssociation.RequestAsync(
            stream,
            socket,
            socket.RemoteEndPoint,
            request,
            options.Association,
            options.Services is { } services ? services.DispatchAsync : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A C-ECHO on an association that accepted the Verification SOP class; returns the status.</summary>
    public static async Task<ushort> EchoAsync(this DicomAssociation association, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        var context = association.FindPresentationContext(VerificationService.SopClassUid)
            ?? throw new InvalidOperationException("The Verification SOP class was not accepted on this association.");
        var echo = new DimseCommand(DimseCommandField.CEchoRequest) { AffectedSopClassUid = VerificationService.SopClassUid };
        var response = await association.SendRequestAsync(context.Id, echo, null, cancellationToken).ConfigureAwait(false);
        return response.Command.Status;
    }

    /// <summary>
    /// A C-STORE of one object whose data set (without File Meta Information) is <paramref name="dataset"/>, already in the
    /// transfer syntax of the context chosen: the first accepted context of <paramref name="sopClassUid"/> with
    /// <paramref name="transferSyntaxUid"/>. Returns the response command (status, error comment).
    /// </summary>
    public static async Task<DimseCommand> StoreAsync(
        this DicomAssociation association, string sopClassUid, string sopInstanceUid, string transferSyntaxUid, DimseOutgoingData dataset, CancellationToken cancellationToken, string? moveOriginatorAeTitle = null, ushort? moveOriginatorMessageId = null)
    {
        ArgumentNullException.ThrowIfNull(association);
        var context = association.FindPresentationContext(sopClassUid, transferSyntaxUid)
            ?? throw new InvalidOperationException($"No accepted presentation context for {sopClassUid} in {transferSyntaxUid}.");
        var store = new DimseCommand(DimseCommandField.CStoreRequest)
        {
            AffectedSopClassUid = sopClassUid,
            AffectedSopInstanceUid = sopInstanceUid,
            Priority = 0,
            MoveOriginatorAeTitle = moveOriginatorAeTitle,
            MoveOriginatorMessageId = moveOriginatorMessageId,
        };
        var response = await association.SendRequestAsync(context.Id, store, dataset, cancellationToken).ConfigureAwait(false);
        return response.Command;
    }
}
