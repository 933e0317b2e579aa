using Vna.Core;

namespace Vna.Index.Postgres.Query;

/// <summary>Instance Availability (0008,0056): the index's codes (<see cref="InstanceAvailability"/> values) and their DICOM terms.</summary>
internal static class AvailabilityCodes
{
    /// <summary>The availability of a copy on a tier: hot and warm are online, cold must be recalled first (nearline).</summary>
    public static InstanceAvailability FromTier(StorageTier tier) =>
        tier == StorageTier.Cold ? InstanceAvailability.Nearline : InstanceAvailability.Online;

    public static string ToText(short code) => (InstanceAvailability)code switch
    {
        InstanceAvailability.Online => "ONLINE",
        InstanceAvailability.Nearline => "NEARLINE",
        InstanceAvailability.Offline => "OFFLINE",
        _ => "UNAVAILABLE",
    };

    public static bool TryParse(string value, out short code)
    {
        switch (IndexText.Clean(value))
        {
            case "ONLINE":
                code = (short)InstanceAvailability.Online;
                return true;
            case "NEARLINE":
                code = (short)InstanceAvailability.Nearline;
                return true;
            case "OFFLINE":
                code = (short)InstanceAvailability.Offline;
                return true;
            case "UNAVAILABLE":
                code = (short)InstanceAvailability.Unavailable;
                return true;
            default:
                code = 0;
                return false;
        }
    }
}
