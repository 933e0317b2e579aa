using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Vna.Dicom.Network;

/// <summary>Who is asking for an association: where the connection comes from and, over TLS, the client certificate.</summary>
public sealed record AssociationPeer(EndPoint? RemoteEndPoint, DicomEndpoint LocalEndpoint, X509Certificate? ClientCertificate);
