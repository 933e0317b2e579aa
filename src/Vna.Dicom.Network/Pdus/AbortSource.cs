namespace Vna.Dicom.Network;

public enum AbortSource : byte
{
    ServiceUser = 0,
    ServiceProvider = 2,
}
