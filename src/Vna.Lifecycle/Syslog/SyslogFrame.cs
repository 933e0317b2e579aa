using System.Globalization;
using System.Text;

namespace Vna.Lifecycle;

/// <summary>RFC 5424 framing of one audit message (and RFC 6587 octet counting for TCP).</summary>
public static class SyslogFrame
{
    /// <summary>The message ID IHE ATNA gives DICOM audit messages.</summary>
    public const string MessageId = "DICOM+RFC3881";

    public static byte[] Format(string xml, DateTimeOffset at, int facility, int severity, string host, string appName, bool octetCounting)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"<{(facility * 8) + severity}>1 {at.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {Field(host, 255)} {Field(appName, 48)} {Environment.ProcessId} {MessageId} - ");
        var message = Encoding.UTF8.GetBytes(header).Concat(Encoding.UTF8.Preamble.ToArray()).Concat(Encoding.UTF8.GetBytes(xml)).ToArray();
        if (!octetCounting)
        {
            return message;
        }

        var prefix = Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " ");
        return [.. prefix, .. message];
    }

    private static string Field(string value, int max)
    {
        // PRINTUSASCII without spaces, or the NILVALUE.
        var clean = new string(value.Where(c => c > 32 && c < 127).Take(max).ToArray());
        return clean.Length == 0 ? "-" : clean;
    }
}
