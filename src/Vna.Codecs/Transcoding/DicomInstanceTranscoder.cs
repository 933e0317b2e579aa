using System.Globalization;
using Vna.Codecs.Codecs;
using Vna.Codecs.Pixels;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Codecs.Transcoding;

/// <summary>
/// The <see cref="IInstanceTranscoder"/> of Vna.Codecs: any supported transfer syntax to any other, frame by frame. Frames
/// are decoded to native interleaved samples and encoded again; a window of frames is coded in parallel (one codec object
/// per frame) and written in order to memory or a spool file, so memory stays bounded whatever the number of frames.
/// </summary>
public sealed class DicomInstanceTranscoder : IInstanceTranscoder
{
    private readonly CodecsOptions _options;
    private readonly CodecRegistry _registry;
    private readonly CodestreamSeal? _seal;
    private long _sealedFramesDecoded;

    /// <param name="options">The codecs' settings.</param>
    /// <param name="seal">
    /// The archive's seal: HTJ2K frames this transcoder encodes are sealed, and sealed frames decode with OpenJPH (see
    /// <see cref="CodestreamSeal"/>). Null: nothing is sealed and HTJ2K decodes as <see cref="CodecsOptions.PreferOpenJphDecoder"/> says.
    /// </param>
    public DicomInstanceTranscoder(CodecsOptions options, CodestreamSeal? seal = null)
        : this(options, CodecCatalog.CreateRegistry(options), seal)
    {
    }

    internal DicomInstanceTranscoder(CodecsOptions options, CodecRegistry registry, CodestreamSeal? seal = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        _options = options;
        _registry = registry;
        _seal = seal;
    }

    internal CodecRegistry Registry => _registry;

    /// <summary>Frames decoded by OpenJPH because their <see cref="CodestreamSeal"/> verified, since this transcoder was made.</summary>
    public long SealedFramesDecoded => Interlocked.Read(ref _sealedFramesDecoded);

    /// <inheritdoc />
    /// <remarks>
    /// True when the stored syntax can be decoded and the target encoded here (libraries present). A given object may still be
    /// refused by <see cref="TranscodeAsync"/> for its pixel shape (e.g. 16-bit data to JPEG baseline, 32-bit data to JPEG-LS).
    /// </remarks>
    public bool CanTranscode(string fromTransferSyntaxUid, string toTransferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(fromTransferSyntaxUid);
        ArgumentNullException.ThrowIfNull(toTransferSyntaxUid);
        if (string.Equals(fromTransferSyntaxUid, toTransferSyntaxUid, StringComparison.Ordinal))
        {
            return true;
        }

        return _registry.CanDecode(fromTransferSyntaxUid) && _registry.CanEncode(toTransferSyntaxUid);
    }

    public async Task<TranscodeResult> TranscodeAsync(Stream source, string targetTransferSyntaxUid, Stream destination, TranscodeOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(targetTransferSyntaxUid);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new TranscodeOptions();

        DicomFile file;
        try
        {
            file = await DicomReader.ReadAsync(source, new DicomReaderOptions { SpoolDirectory = _options.SpoolDirectory }, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomReadException or DicomDataException or EndOfStreamException or InvalidDataException)
        {
            throw new TranscodeException($"The object is not readable DICOM: {ex.Message}", ex);
        }

        using (file)
        {
            var (output, result) = await TranscodeFileAsync(file, targetTransferSyntaxUid, options, cancellationToken).ConfigureAwait(false);
            using (output)
            {
                var counting = new CountingStream(destination);
                try
                {
                    await DicomWriter.WriteFileAsync(counting, result.File, null, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    throw new TranscodeException($"The transcoded object cannot be written: {ex.Message}", ex);
                }

                return new TranscodeResult(targetTransferSyntaxUid, result.SopInstanceUid, result.Lossy, counting.Written);
            }
        }
    }

    /// <summary>
    /// Transcodes a data set in memory: the returned file's pixel data may refer to <c>Output</c>, which the caller disposes
    /// after writing.
    /// </summary>
    internal async Task<(IDisposable? Output, TranscodedFile Result)> TranscodeFileAsync(DicomFile file, string targetUid, TranscodeOptions options, CancellationToken cancellationToken)
    {
        var fromUid = file.TransferSyntax.Uid;
        if (!CanTranscode(fromUid, targetUid))
        {
            throw new TranscodeException(Unsupported(fromUid, targetUid));
        }

        DicomTransferSyntax target;
        try
        {
            target = DicomTransferSyntax.Parse(targetUid);
        }
        catch (ArgumentException ex)
        {
            throw new TranscodeException($"'{targetUid}' is not a transfer syntax UID.", ex);
        }

        var dataset = file.Dataset.Clone();
        var sop = dataset.GetString(DicomTag.SOPInstanceUID)?.Trim() ?? "";
        var pixelItem = dataset[DicomTag.PixelData];
        var sameSyntax = string.Equals(fromUid, targetUid, StringComparison.Ordinal);
        var bothNative = CodecRegistry.IsNative(fromUid) && CodecRegistry.IsNative(targetUid);
        if (pixelItem is null || sameSyntax || bothNative)
        {
            // Nothing to code: the writer re-encodes the data set (byte order, VR, deflate) and keeps the pixel bytes.
            return (null, new TranscodedFile(new DicomFile(file.FileMetaInformation, dataset, target), sop, false));
        }

        var module = PixelModule.Read(dataset, _options.MaxFrameBytes);
        if (file.TransferSyntax.IsEncapsulated != pixelItem is DicomFragmentSequence)
        {
            throw new TranscodeException(file.TransferSyntax.IsEncapsulated
                ? "The transfer syntax is encapsulated but Pixel Data is not a fragment sequence."
                : "Pixel Data is encapsulated but the transfer syntax is native.");
        }

        module.RequireCodecSamples($"{file.TransferSyntax.Name} to {target.Name}");
        var decoder = CodecRegistry.IsNative(fromUid) ? null : _registry.Find(fromUid);
        var encoder = CodecRegistry.IsNative(targetUid) ? null : _registry.Find(targetUid);
        var encodePhotometric = module.Photometric;
        if (decoder is null)
        {
            if (Photometric.IsSubsampled(module.Photometric))
            {
                throw new TranscodeException($"Native {module.Photometric} (subsampled chroma) cannot be encoded here.");
            }
        }

        encoder?.CheckEncodable(module.Frame, DecodedPhotometric(decoder, module.Photometric));
        var parameters = EncodeParametersFor(encoder, options, module);
        var frames = module.NumberOfFrames;

        // Seals of the archive's own HTJ2K frames (decoded by OpenJPH when they verify); any seal goes with the old pixels.
        var seals = decoder is Htj2kCodec ? _seal?.Read(dataset, frames) : null;
        var newSeals = encoder is Htj2kCodec && _seal is not null ? new byte[frames][] : null;
        CodestreamSeal.Remove(dataset);
        var info = module.Frame;
        var expected = encoder is null ? info.FrameBytes * frames : Math.Max(1, info.FrameBytes * frames / 2);
        var output = new FrameOutput(expected, _options);
        try
        {
            var reader = await FrameSource.CreateAsync(pixelItem, dataset, module, file.TransferSyntax, cancellationToken).ConfigureAwait(false);
            var workers = _options.EffectiveParallelism;
            var window = (int)Math.Clamp(Math.Min(2L * workers, Math.Max(1, (256L << 20) / Math.Max(1, info.FrameBytes))), 1, Math.Max(1, frames));
            if (frames < workers)
            {
                parameters = parameters with { CodecThreads = Math.Max(1, workers / frames) };
            }

            var outPhotometric = new string?[frames];
            long encodedTotal = 0;
            for (var start = 0; start < frames; start += window)
            {
                var count = Math.Min(window, frames - start);
                var inputs = new byte[count][];
                for (var i = 0; i < count; i++)
                {
                    inputs[i] = await reader.ReadFrameAsync(start + i, cancellationToken).ConfigureAwait(false);
                }

                var results = new byte[count][];
                var failure = default(Exception);
                Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, i =>
                {
                    try
                    {
                        var index = start + i;
                        var isSealed = seals is not null && _seal!.Verify(inputs[i], seals.AsSpan(index * CodestreamSeal.TagLength, CodestreamSeal.TagLength));
                        (results[i], outPhotometric[index]) = CodeFrame(inputs[i], decoder, encoder, module, encodePhotometric, parameters, isSealed);
                        if (newSeals is not null)
                        {
                            // Over the fragment as written (padded to even length).
                            newSeals[index] = _seal!.Sign(results[i], padToEven: true);
                        }
                    }
                    catch (TranscodeException ex)
                    {
                        Interlocked.CompareExchange(ref failure, new TranscodeException($"Frame {start + i + 1} of {frames}: {ex.Message}", ex), null);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Interlocked.CompareExchange(ref failure, new TranscodeException($"Frame {start + i + 1} of {frames}: {ex.GetType().Name}: {ex.Message}", ex), null);
                    }
                });
                if (failure is not null)
                {
                    throw failure;
                }

                for (var i = 0; i < count; i++)
                {
                    encodedTotal += results[i].Length;
                    await output.AppendAsync(results[i], padToEven: encoder is not null, cancellationToken).ConfigureAwait(false);
                }
            }

            var photometric = outPhotometric[0] ?? module.Photometric;
            if (outPhotometric.Any(p => !string.Equals(p, photometric, StringComparison.Ordinal)))
            {
                throw new TranscodeException("Frames decoded to different photometric interpretations.");
            }

            if (newSeals is not null)
            {
                _seal!.Write(dataset, newSeals);
            }

            var lossy = encoder is { IsLossy: true };
            UpdatePixelAttributes(dataset, module, photometric, encoder, output, target);
            if (lossy)
            {
                var ratio = (double)info.FrameBytes * frames / Math.Max(1, encodedTotal);
                MarkLossy(dataset, ratio, LossyMethod(targetUid));
                if (options.NewSopInstanceUidWhenLossy)
                {
                    sop = DicomUid.Generate();
                    dataset.AddOrUpdate(DicomTag.SOPInstanceUID, sop);
                }
            }

            var meta = file.FileMetaInformation.Clone();
            if (sop.Length > 0)
            {
                meta.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, sop);
            }

            return (output, new TranscodedFile(new DicomFile(meta, dataset, target), sop, lossy));
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    private static string DecodedPhotometric(IFrameCodec? decoder, string photometric) =>
        decoder is null ? photometric
        : photometric is Photometric.YbrRct or Photometric.YbrIct ? Photometric.Rgb
        : decoder.TransferSyntaxUid is "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" && Photometric.IsSubsampled(photometric) ? Photometric.Rgb
        : photometric;

    private (byte[] Data, string Photometric) CodeFrame(byte[] input, IFrameCodec? decoder, IFrameCodec? encoder, PixelModule module, string photometric,
        EncodeParameters parameters, bool isSealed)
    {
        var info = module.Frame;
        byte[] native;
        if (decoder is null)
        {
            if (input.Length < info.FrameBytes)
            {
                throw new TranscodeException($"native frame has {input.Length} bytes; {info} needs {info.FrameBytes}.");
            }

            native = input;
            if (module.PlanarConfiguration == 1 && info.SamplesPerPixel > 1)
            {
                native = new byte[info.FrameBytes];
                SampleConversion.PlanarToInterleaved(input.AsSpan(0, (int)info.FrameBytes), native, info);
            }
        }
        else
        {
            native = new byte[info.FrameBytes];
            if (isSealed && decoder is Htj2kCodec htj2k)
            {
                Interlocked.Increment(ref _sealedFramesDecoded);
                photometric = htj2k.DecodeSealed(input, info, module.Photometric, native);
            }
            else
            {
                photometric = decoder.Decode(input, info, module.Photometric, native);
            }
        }

        if (encoder is null)
        {
            return (native.Length == info.FrameBytes ? native : native.AsSpan(0, (int)info.FrameBytes).ToArray(), photometric);
        }

        var encoded = encoder.Encode(native.AsSpan(0, (int)info.FrameBytes), info, photometric, parameters);
        return (encoded.Data, encoded.Photometric);
    }

    private EncodeParameters EncodeParametersFor(IFrameCodec? encoder, TranscodeOptions options, PixelModule module)
    {
        if (encoder is null || !encoder.IsLossy)
        {
            return EncodeParameters.Default;
        }

        if (module.Photometric == Photometric.PaletteColor)
        {
            throw new TranscodeException("PALETTE COLOR indices cannot be compressed lossily.");
        }

        var quality = options.Quality ?? encoder.TransferSyntaxUid switch
        {
            "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" => _options.JpegBaselineQuality,
            "1.2.840.10008.1.2.4.91" => _options.Jpeg2000Ratio,
            "1.2.840.10008.1.2.4.203" => _options.Htj2kRatio,
            "1.2.840.10008.1.2.4.81" => _options.JpegLsNear,
            _ => (double?)null,
        };
        return new EncodeParameters(quality);
    }

    private static void UpdatePixelAttributes(DicomDataset dataset, PixelModule module, string photometric, IFrameCodec? encoder, FrameOutput output, DicomTransferSyntax target)
    {
        dataset.AddOrUpdate(DicomTag.PhotometricInterpretation, photometric);
        if (module.Frame.SamplesPerPixel > 1)
        {
            dataset.AddOrUpdateValues(DicomTag.PlanarConfiguration, DicomVR.US, (ushort)0);
        }

        dataset.Remove(DicomTag.ExtendedOffsetTable);
        dataset.Remove(DicomTag.ExtendedOffsetTableLengths);
        if (encoder is null)
        {
            output.PadToEven();
            var vr = module.Frame.BitsAllocated > 8 || !target.IsExplicitVR ? DicomVR.OW : DicomVR.OB;
            dataset.AddOrUpdate(new DicomElement(DicomTag.PixelData, vr, new BulkDataReference(output, 0, output.Length)));
            return;
        }

        // Basic Offset Table: one fragment per frame; left empty when the offsets overflow 32 bits.
        var offsets = new List<uint>(output.Frames.Count);
        long position = 0;
        var fits = true;
        foreach (var (_, length) in output.Frames)
        {
            if (position > uint.MaxValue)
            {
                fits = false;
                break;
            }

            offsets.Add((uint)position);
            position += 8 + length;
        }

        var fragments = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, fits && output.Frames.Count > 1 ? offsets : null);
        foreach (var (offset, length) in output.Frames)
        {
            fragments.Add(new DicomFragment(new BulkDataReference(output, offset, length)));
        }

        dataset.AddOrUpdate(fragments);
    }

    private static void MarkLossy(DicomDataset dataset, double ratio, string method)
    {
        dataset.AddOrUpdate(DicomTag.LossyImageCompression, "01");
        var ratios = dataset.GetStrings(DicomTag.LossyImageCompressionRatio).Where(s => s.Length > 0).ToList();
        ratios.Add(FormatDecimalString(ratio));
        dataset.AddOrUpdate(DicomTag.LossyImageCompressionRatio, [.. ratios]);
        var methods = dataset.GetStrings(DicomTag.LossyImageCompressionMethod).Where(s => s.Length > 0).ToList();
        methods.Add(method);
        dataset.AddOrUpdate(DicomTag.LossyImageCompressionMethod, [.. methods]);
    }

    private static string FormatDecimalString(double value)
    {
        var text = value.ToString("0.###", CultureInfo.InvariantCulture);
        return text.Length <= 16 ? text : value.ToString("G6", CultureInfo.InvariantCulture);
    }

    private static string LossyMethod(string uid) => uid switch
    {
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" => "ISO_10918_1",
        "1.2.840.10008.1.2.4.81" => "ISO_14495_1",
        "1.2.840.10008.1.2.4.91" => "ISO_15444_1",
        "1.2.840.10008.1.2.4.203" => "ISO_15444_15",
        _ => "ISO_15444_1",
    };

    private string Unsupported(string from, string to)
    {
        static string Name(string uid) => DicomUid.Lookup(uid)?.Name ?? uid;
        var reasons = new List<string>();
        if (!_registry.CanDecode(from))
        {
            reasons.Add(_registry.Find(from)?.UnavailableReason ?? $"{Name(from)} cannot be decoded here");
        }

        if (!_registry.CanEncode(to))
        {
            reasons.Add(_registry.Find(to)?.UnavailableReason ?? $"{Name(to)} cannot be encoded here");
        }

        return $"Cannot transcode {Name(from)} to {Name(to)}: {string.Join("; ", reasons)}.";
    }

    /// <summary>A writable stream wrapper that counts bytes.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
