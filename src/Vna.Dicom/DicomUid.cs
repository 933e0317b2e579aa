using System.Collections.Frozen;

namespace Vna.Dicom;

/// <summary>A registered UID (PS3.6 Annex A) or any UID met in data. The registry is generated in <c>DicomUid.g.cs</c>.</summary>
public sealed partial record DicomUid(string Value, string Name, string Keyword, DicomUidType Type, bool IsRetired)
{
    private static readonly Lazy<FrozenDictionary<string, DicomUid>> s_registry =
        new(() => CreateRegistry().ToFrozenDictionary(u => u.Value, StringComparer.Ordinal));

    /// <summary>Every UID of the registry.</summary>
    public static IReadOnlyCollection<DicomUid> Registry => s_registry.Value.Values;

    /// <summary>The registered UID, or null when <paramref name="value"/> is not in the registry.</summary>
    public static DicomUid? Lookup(string value) =>
        s_registry.Value.TryGetValue(value.TrimEnd('\0', ' '), out var uid) ? uid : null;

    /// <summary>True for a Storage SOP Class of the registry (a SOP class whose name ends in "Storage").</summary>
    public bool IsStorageSopClass => Type == DicomUidType.SopClass && Name.Contains("Storage", StringComparison.Ordinal)
        && !Name.Contains("Commitment", StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="value"/> is a syntactically valid UID (PS3.5 9.1): at most 64 characters, components of
    /// digits separated by single periods, no component with a leading zero unless it is "0".
    /// </summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return false;
        }

        var componentStart = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                var length = i - componentStart;
                if (length == 0 || (length > 1 && value[componentStart] == '0'))
                {
                    return false;
                }

                componentStart = i + 1;
            }
            else if (value[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A new UID under the 2.25 root (a UUID as a decimal integer, PS3.5 B.2).</summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[17];
        Guid.NewGuid().TryWriteBytes(bytes[..16], bigEndian: true, out _);
        bytes[16] = 0;
        bytes[..16].Reverse();
        var n = new System.Numerics.BigInteger(bytes);
        return "2.25." + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ToString() => Value;

    /// <summary>Implemented by the generated file.</summary>
    private static partial DicomUid[] CreateRegistry();
}
