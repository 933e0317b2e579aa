using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// The transcoder retrieval uses: the registered <see cref="IInstanceTranscoder"/> (the codecs, or the pass-through
/// default), plus what needs no codec — between the native (not encapsulated) syntaxes: Implicit and Explicit VR Little
/// Endian, Explicit VR Big Endian and Deflated Explicit VR Little Endian, which the toolkit's reader and writer re-encode
/// without touching a pixel value.
/// </summary>
public sealed class NativeSyntaxTranscoder(IInstanceTranscoder inner) : IInstanceTranscoder
{
    public bool CanTranscode(string fromTransferSyntaxUid, string toTransferSyntaxUid) =>
        string.Equals(fromTransferSyntaxUid, toTransferSyntaxUid, StringComparison.Ordinal)
        || (IsNative(fromTransferSyntaxUid) && IsNative(toTransferSyntaxUid))
        || inner.CanTranscode(fromTransferSyntaxUid, toTransferSyntaxUid);

    public async Task<TranscodeResult> TranscodeAsync(Stream source, string targetTransferSyntaxUid, Stream destination, TranscodeOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (!IsNative(targetTransferSyntaxUid))
        {
            return await inner.TranscodeAsync(source, targetTransferSyntaxUid, destination, options, cancellationToken).ConfigureAwait(false);
        }

        DicomFile file;
        try
        {
            file = await DicomReader.ReadAsync(source, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomReadException e)
        {
            throw new TranscodeException("The stored object cannot be read.", e);
        }

        using (file)
        {
            if (!IsNative(file.TransferSyntax.Uid))
            {
                // Encapsulated pixel data: only a codec can turn it into a native syntax. The source was read already, so
                // the codec gets the object again from a temporary copy.
                return await DecodeWithInnerAsync(file, targetTransferSyntaxUid, destination, options, cancellationToken).ConfigureAwait(false);
            }

            var target = DicomTransferSyntax.Parse(targetTransferSyntaxUid);
            var sop = file.Dataset.GetString(DicomTag.SOPInstanceUID) ?? string.Empty;
            var output = new DicomFile(file.FileMetaInformation, file.Dataset, target);
            var counting = new CountingStream(destination);
            await DicomWriter.WriteFileAsync(counting, output, null, cancellationToken).ConfigureAwait(false);
            return new TranscodeResult(target.Uid, sop, Lossy: false, counting.Written);
        }
    }

    private async Task<TranscodeResult> DecodeWithInnerAsync(DicomFile file, string target, Stream destination, TranscodeOptions? options, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vna-decode-{Guid.NewGuid():N}.dcm");
        var copy = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (copy.ConfigureAwait(false))
        {
            await DicomWriter.WriteFileAsync(copy, file, null, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            return await inner.TranscodeAsync(copy, target, destination, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True for a known syntax whose pixel data is native (not encapsulated).</summary>
    public static bool IsNative(string transferSyntaxUid)
    {
        var syntax = DicomTransferSyntax.Parse(transferSyntaxUid);
        return syntax.IsKnown && !syntax.IsEncapsulated;
    }
}
