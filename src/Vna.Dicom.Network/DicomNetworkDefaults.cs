namespace Vna.Dicom.Network;

/// <summary>Defaults of the network toolkit.</summary>
public static class DicomNetworkDefaults
{
    /// <summary>The largest P-DATA-TF PDU proposed for receiving: 256 KiB (DCMTK proposes 16 KiB, Orthanc 16 KiB; larger PDUs mean fewer headers and system calls).</summary>
    public const uint MaxPduLength = 256 * 1024;

    /// <summary>The largest PDU other than P-DATA-TF accepted (associate, release, abort): association requests are small.</summary>
    public const int MaxControlPduLength = 256 * 1024;

    /// <summary>The largest P-DATA-TF PDU sent when the peer announces no limit (0).</summary>
    public const uint MaxSendPduLength = 1024 * 1024;

    /// <summary>Plain DICOM port (IANA "dicom" is 104; 11112 is the unprivileged registered one).</summary>
    public const int Port = 11112;

    /// <summary>DICOM over TLS (IANA "dicom-tls").</summary>
    public const int TlsPort = 2762;

    public static string ImplementationClassUid => Vna.Dicom.DicomWriter.ImplementationClassUid;

    public static string ImplementationVersionName => Vna.Dicom.DicomWriter.ImplementationVersionName;
}
