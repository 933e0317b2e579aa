namespace Vna.Dicom.Network;

/// <summary>
/// The association ended without a release: the peer sent A-ABORT, this side aborted it (protocol error, timeout, a send
/// cancelled mid-message), or the connection closed. An <see cref="IOException"/> so stream consumers treat it as a broken input.
/// </summary>
public sealed class DicomAssociationAbortedException : IOException
{
    public DicomAssociationAbortedException()
        : base("The association was aborted.")
    {
    }

    public DicomAssociationAbortedException(string message)
        : base(message)
    {
    }

    public DicomAssociationAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DicomAssociationAbortedException(string message, Abort? abort)
        : base(message) => Abort = abort;

    /// <summary>The A-ABORT received or sent, when there was one.</summary>
    public Abort? Abort { get; }
}
