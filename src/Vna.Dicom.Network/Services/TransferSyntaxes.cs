namespace Vna.Dicom.Network;

/// <summary>Helpers for choosing transfer syntaxes in negotiation.</summary>
public static class TransferSyntaxes
{
    /// <summary>Explicit VR Little Endian, then Implicit VR Little Endian: what every SCU and SCP supports.</summary>
    public static IReadOnlyList<string> Uncompressed { get; } =
        [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid];

    /// <summary>The first of Explicit VR LE, Implicit VR LE that was proposed (for commands-only services: echo, find, commitment), or null.</summary>
    public static string? PreferUncompressed(IReadOnlyList<string> proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        foreach (var preferred in Uncompressed)
        {
            if (proposed.Contains(preferred, StringComparer.Ordinal))
            {
                return preferred;
            }
        }

        return null;
    }

    /// <summary>The first proposed syntax the toolkit knows (stored as received: the requestor's preference wins), or null.</summary>
    public static string? FirstKnown(IReadOnlyList<string> proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        return proposed.FirstOrDefault(uid => DicomTransferSyntax.Known.Any(k => string.Equals(k.Uid, uid, StringComparison.Ordinal)));
    }
}
