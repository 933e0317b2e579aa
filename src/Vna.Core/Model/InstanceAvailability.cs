namespace Vna.Core;

/// <summary>Instance Availability (0008,0056) as C-FIND and QIDO-RS report it (PS3.4 C.4.1.1.3.2).</summary>
public enum InstanceAvailability
{
    Online = 0,
    Nearline = 1,
    Offline = 2,
    Unavailable = 3,
}
