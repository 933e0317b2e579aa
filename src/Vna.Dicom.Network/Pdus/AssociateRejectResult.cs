namespace Vna.Dicom.Network;

public enum AssociateRejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}
