namespace Vna.Dicom;

/// <summary>Properties of each VR from PS3.5 6.2 and 7.1.2.</summary>
public static class DicomVRExtensions
{
    /// <summary>Every VR of the standard, in alphabetical order.</summary>
    public static IReadOnlyList<DicomVR> All { get; } =
        Enum.GetValues<DicomVR>().Where(v => v != DicomVR.None).ToArray();

    /// <summary>The VR from its two characters, or null when they name no VR.</summary>
    public static DicomVR? FromCode(byte first, byte second)
    {
        var value = (DicomVR)((first << 8) | second);
        return IsDefined(value) ? value : null;
    }

    /// <summary>The VR from its code ("PN"), or null.</summary>
    public static DicomVR? FromCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Length == 2 ? FromCode((byte)code[0], (byte)code[1]) : null;
    }

    public static bool IsDefined(DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.AT or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT
            or DicomVR.FD or DicomVR.FL or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.OB or DicomVR.OD
            or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.PN or DicomVR.SH or DicomVR.SL
            or DicomVR.SQ or DicomVR.SS or DicomVR.ST or DicomVR.SV or DicomVR.TM or DicomVR.UC or DicomVR.UI
            or DicomVR.UL or DicomVR.UN or DicomVR.UR or DicomVR.US or DicomVR.UT or DicomVR.UV => true,
        _ => false,
    };

    public static string Code(this DicomVR vr) => vr == DicomVR.None
        ? "??"
        : new string([(char)((ushort)vr >> 8), (char)((ushort)vr & 0xFF)]);

    /// <summary>True when the explicit VR header has 2 reserved bytes and a 32-bit length (PS3.5 7.1.2).</summary>
    public static bool HasLongLength(this DicomVR vr) => vr switch
    {
        DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.SQ
            or DicomVR.SV or DicomVR.UC or DicomVR.UN or DicomVR.UR or DicomVR.UT or DicomVR.UV => true,
        _ => false,
    };

    /// <summary>Character-string VRs (their values are text, padded with a space or, for UI, NUL).</summary>
    public static bool IsString(this DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT or DicomVR.IS
            or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.TM or DicomVR.UC
            or DicomVR.UI or DicomVR.UR or DicomVR.UT => true,
        _ => false,
    };

    /// <summary>String VRs whose values are decoded with the Specific Character Set (the others are the default repertoire).</summary>
    public static bool UsesSpecificCharacterSet(this DicomVR vr) => vr switch
    {
        DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.UC or DicomVR.UT => true,
        _ => false,
    };

    /// <summary>String VRs whose value may hold several values separated by a backslash.</summary>
    public static bool IsMultiValuedString(this DicomVR vr) =>
        vr.IsString() && vr is not (DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR);

    /// <summary>Binary VRs whose values are numbers of a fixed size.</summary>
    public static bool IsBinaryNumber(this DicomVR vr) => vr.NumberSize() > 0 && vr is not (DicomVR.OB or DicomVR.UN);

    /// <summary>The size in bytes of one number of this VR (the unit that changes byte order), or 0 for text, SQ, OB and UN.</summary>
    public static int NumberSize(this DicomVR vr) => vr switch
    {
        DicomVR.US or DicomVR.SS or DicomVR.OW => 2,
        DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.OF or DicomVR.OL => 4,
        DicomVR.AT => 2, // a tag is two 16-bit numbers: swapping happens per half
        DicomVR.FD or DicomVR.OD or DicomVR.SV or DicomVR.UV or DicomVR.OV => 8,
        _ => 0,
    };

    /// <summary>The byte that pads an odd-length value to even length: NUL for UI and binary VRs, a space for text.</summary>
    public static byte PaddingByte(this DicomVR vr) => vr.IsString() && vr != DicomVR.UI ? (byte)' ' : (byte)0;

    /// <summary>The VRs that may hold large binary values and so are candidates for bulk data.</summary>
    public static bool IsBulkCandidate(this DicomVR vr) => vr switch
    {
        DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN => true,
        _ => false,
    };

    /// <summary>Maximum length in bytes (or characters, for text) of one value, or 0 when unbounded by the VR.</summary>
    public static int MaxValueLength(this DicomVR vr) => vr switch
    {
        DicomVR.AE => 16,
        DicomVR.AS => 4,
        DicomVR.CS => 16,
        DicomVR.DA => 8,
        DicomVR.DS => 16,
        DicomVR.DT => 26,
        DicomVR.IS => 12,
        DicomVR.LO => 64,
        DicomVR.LT => 10240,
        DicomVR.PN => 64 * 3 + 2,
        DicomVR.SH => 16,
        DicomVR.ST => 1024,
        DicomVR.TM => 14,
        DicomVR.UI => 64,
        _ => 0,
    };
}
