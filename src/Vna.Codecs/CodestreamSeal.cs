using System.Security.Cryptography;
using System.Text;
using Vna.Dicom;

namespace Vna.Codecs;

/// <summary>
/// Marks the HTJ2K codestreams the archive encoded itself, so that they, and only they, are decoded by OpenJPH.
/// <para>
/// OpenJPH 0.9.0 decodes two to three times faster than OpenJPEG but aborts or faults on about 1% of corrupt codestreams, which
/// would kill the process; OpenJPEG refuses them cleanly. A codestream our own encoder made from pixels is not corrupt, and it
/// stays so while its bytes are unchanged. When the transcoder encodes HTJ2K it writes, beside Pixel Data, an HMAC-SHA-256 of
/// each frame's codestream under the archive's secret key (private block "VNA CODESTREAM SEAL" in group 0099). On decode, a
/// frame whose HMAC verifies goes to OpenJPH (OpenJPEG if OpenJPH refuses it); any other frame — received from outside,
/// altered on disk, sealed under another key, or with the seal copied onto other pixels — goes to OpenJPEG. The seal cannot be
/// forged without the key, so untrusted input never reaches OpenJPH.
/// </para>
/// <para>
/// The key is shared by every silo of an archive (a file in the data folder, made on first start; or a path in
/// <c>Vna:Codecs:SealKeyFile</c>). Losing it costs speed only: frames sealed under an unknown key decode with OpenJPEG.
/// </para>
/// </summary>
public sealed class CodestreamSeal
{
    /// <summary>The private creator of the seal's block.</summary>
    public const string PrivateCreator = "VNA CODESTREAM SEAL";

    /// <summary>The odd group holding the block.</summary>
    public const ushort Group = 0x0099;

    /// <summary>Bytes of one frame's HMAC.</summary>
    public const int TagLength = HMACSHA256.HashSizeInBytes;

    private const int MinimumKeyLength = 32;

    private readonly byte[] _key;

    public CodestreamSeal(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"A seal key has at least {MinimumKeyLength} bytes.", nameof(key));
        }

        _key = key.ToArray();

        // Names the key without revealing it: SHA-256 of a label and the key, 16 hex digits.
        var id = SHA256.HashData([.. Encoding.ASCII.GetBytes("vna-seal-key-id:"), .. _key]);
        KeyId = Convert.ToHexStringLower(id.AsSpan(0, 8));
    }

    /// <summary>Names the key (written beside the seals, so that a key change is seen, not mistaken for tampering).</summary>
    public string KeyId { get; }

    /// <summary>
    /// Reads the key file, or makes one (32 random bytes, readable by the owner only) when it does not exist. Several processes
    /// starting at once end with the same key: the file is created exclusively and a loser reads the winner's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file cannot be made or read, or holds fewer than 32 bytes; the message names it.</exception>
    public static CodestreamSeal LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        try
        {
            return LoadOrCreateCore(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The codestream seal key {full} cannot be made or read: {ex.Message}", ex);
        }
    }

    private static CodestreamSeal LoadOrCreateCore(string full)
    {
        if (!File.Exists(full))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(RandomNumberGenerator.GetBytes(MinimumKeyLength));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                // Without overwrite the move fails when the name exists: the first process wins, the others read its key.
                File.Move(temporary, full, overwrite: false);
            }
            catch (IOException) when (File.Exists(full))
            {
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        var key = File.ReadAllBytes(full);
        if (key.Length < MinimumKeyLength)
        {
            throw new InvalidOperationException(
                $"The codestream seal key {full} has {key.Length} bytes; it needs at least {MinimumKeyLength}. Restore the archive's key, " +
                "or delete the file to make a new one (HTJ2K sealed under the old key then decodes with OpenJPEG).");
        }

        return new CodestreamSeal(key);
    }

    /// <summary>The HMAC of one frame's codestream as stored (with the pad byte that makes a fragment even, if any).</summary>
    public byte[] Sign(ReadOnlySpan<byte> codestream, bool padToEven)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(codestream);
        if (padToEven && (codestream.Length & 1) == 1)
        {
            hmac.AppendData([0]);
        }

        return hmac.GetHashAndReset();
    }

    /// <summary>True when <paramref name="tag"/> is this key's HMAC of <paramref name="codestream"/> (compared in constant time).</summary>
    public bool Verify(ReadOnlySpan<byte> codestream, ReadOnlySpan<byte> tag)
    {
        if (tag.Length != TagLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TagLength];
        HMACSHA256.HashData(_key, codestream, expected);
        return CryptographicOperations.FixedTimeEquals(expected, tag);
    }

    /// <summary>
    /// The seals of <paramref name="frames"/> frames written under this key (<see cref="TagLength"/> bytes each, in frame
    /// order), or null when the data set carries none, another key's, or a count that does not match.
    /// </summary>
    public byte[]? Read(DicomDataset dataset, int frames)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (FindBlock(dataset) is not { } block)
        {
            return null;
        }

        // Read as bytes: in an implicit VR file a private element comes back as UN.
        var keyIdBytes = dataset.GetBytes(new DicomTag(Group, (ushort)((block << 8) | 0x01)));
        var keyId = keyIdBytes is null ? null : Encoding.ASCII.GetString(keyIdBytes).TrimEnd(' ', '\0');
        var seals = dataset.GetBytes(new DicomTag(Group, (ushort)((block << 8) | 0x02)));
        return string.Equals(keyId, KeyId, StringComparison.Ordinal) && seals is not null && frames > 0 && seals.Length == (long)frames * TagLength
            ? seals
            : null;
    }

    /// <summary>Writes the frames' seals (replacing any earlier block of ours).</summary>
    public void Write(DicomDataset dataset, IReadOnlyList<byte[]> seals)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(seals);
        Remove(dataset);
        byte block = 0;
        for (var element = 0x10; element <= 0xFF; element++)
        {
            if (!dataset.Contains(new DicomTag(Group, (ushort)element)))
            {
                block = (byte)element;
                break;
            }
        }

        if (block == 0)
        {
            // Every block of the group is reserved by others: no seal, the frames simply decode with OpenJPEG.
            return;
        }

        var bytes = new byte[seals.Count * TagLength];
        for (var i = 0; i < seals.Count; i++)
        {
            seals[i].CopyTo(bytes.AsSpan(i * TagLength, TagLength));
        }

        dataset.AddOrUpdate(new DicomTag(Group, block), DicomVR.LO, PrivateCreator);
        dataset.AddOrUpdate(new DicomTag(Group, (ushort)((block << 8) | 0x01)), DicomVR.LO, KeyId);
        dataset.AddOrUpdate(new DicomElement(new DicomTag(Group, (ushort)((block << 8) | 0x02)), DicomVR.OB, bytes));
    }

    /// <summary>Removes the seal block (its creator and elements): done whenever Pixel Data is re-encoded.</summary>
    public static void Remove(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        while (FindBlock(dataset) is { } block)
        {
            dataset.RemoveAll(item => item.Tag.Group == Group && (item.Tag.Element == block || item.Tag.PrivateBlock == block));
        }
    }

    private static byte? FindBlock(DicomDataset dataset)
    {
        for (var element = 0x10; element <= 0xFF; element++)
        {
            var tag = new DicomTag(Group, (ushort)element);
            if (dataset.Contains(tag) && string.Equals(dataset.GetString(tag)?.Trim(), PrivateCreator, StringComparison.Ordinal))
            {
                return (byte)element;
            }
        }

        return null;
    }
}
