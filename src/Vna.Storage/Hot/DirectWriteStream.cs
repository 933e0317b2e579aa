using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vna.Storage;

/// <summary>
/// The write side of a hot-tier temporary file: bytes are gathered in an aligned buffer of <see cref="BufferSize"/> and
/// written from the calling thread — the first <see cref="HeadBytes"/> and the last partial block through the page cache,
/// everything between with <c>O_DIRECT</c> on Linux.
/// </summary>
/// <remarks>
/// <para>
/// Why direct I/O: a received object is written once, made durable at once (fsync before the rename) and not read again
/// soon, except for its header, which the store parses back straight away — retrieval comes later, if ever. Through the
/// page cache each object costs a copy into freshly allocated pages, then their write-back at the fsync; measured on the
/// machine the archive was developed on (a 2-vCPU VM, ext4), writing a 526 KB file and fsyncing it took 2.6–2.9 ms and
/// 1.4–1.7 ms of CPU buffered, against 1.7 ms and 0.37 ms of CPU with <c>O_DIRECT</c>.
/// </para>
/// <para>
/// Direct I/O needs the memory, the file offset and the length of each write aligned (<see cref="Alignment"/>, enough for
/// every logical block size in use). The buffer is aligned and pooled (fresh pages cost the same as page-cache pages) and
/// the direct part of the file is whole aligned blocks. The head stays in the page cache, where the parse finds it; the
/// partial last block goes there too, so no padding and no truncation are needed (truncating a block written directly
/// makes the file system read it back to zero its end). <c>O_DIRECT</c> is switched on and off on the one descriptor
/// (<c>fcntl(F_SETFL)</c>): the kernel keeps the two kinds of write coherent. Where the file system refuses
/// <c>O_DIRECT</c> (tmpfs before Linux 6.6, some network file systems) or on other systems, everything goes through the
/// page cache.
/// </para>
/// <para>
/// Why on the calling thread: on Linux .NET has no asynchronous file I/O — an awaited write is a synchronous <c>pwrite</c>
/// queued to another thread-pool thread, then a second hop back. One write per 256 KiB received costs the caller less than
/// the two thread switches around it. Durability is the caller's (<see cref="FlushToDisk"/>), not each write's.
/// </para>
/// </remarks>
internal sealed partial class DirectWriteStream : Stream
{
    /// <summary>Bytes gathered before a write; a multiple of <see cref="Alignment"/>.</summary>
    public const int BufferSize = 256 * 1024;

    /// <summary>Alignment of memory, offsets and lengths for direct writes (the largest logical block size in use).</summary>
    public const int Alignment = 4096;

    /// <summary>The start of the file, written through the page cache: the header the store parses back (a multiple of <see cref="Alignment"/>).</summary>
    public const int HeadBytes = 64 * 1024;

    private const int MaxPooledBuffers = 32;
    private const int FGetFl = 3;
    private const int FSetFl = 4;

    private static readonly ConcurrentQueue<byte[]> s_pool = new();

    /// <summary>O_DIRECT differs between architectures (x86 headers vs asm-generic).</summary>
    private static readonly int s_oDirect = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    private readonly SafeFileHandle _handle;
    private byte[]? _array;
    private readonly int _start;

    /// <summary>File offset of the buffer's first byte (aligned while <see cref="IsDirect"/>).</summary>
    private long _fileOffset;

    /// <summary>Bytes in the buffer.</summary>
    private int _count;

    /// <summary>Whether the descriptor has O_DIRECT set right now.</summary>
    private bool _descriptorDirect;

    /// <summary>True when the buffer's bytes are in the file already (a flush wrote them and nothing was written since).</summary>
    private bool _bufferWritten = true;

    /// <param name="handle">The file, opened for writing; the stream owns it.</param>
    /// <param name="direct">False: through the page cache even where direct I/O is available.</param>
    public DirectWriteStream(SafeFileHandle handle, bool direct = true)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
        IsDirect = direct && OperatingSystem.IsLinux();
        _array = Rent();
        _start = AlignedStart(_array);
    }

    /// <summary>True while the middle of the file bypasses the page cache (false once the file system refused it).</summary>
    public bool IsDirect { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _array is not null;

    public override long Length => _fileOffset + _count;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    private Span<byte> Buffer => _array is null ? throw new ObjectDisposedException(nameof(DirectWriteStream)) : _array.AsSpan(_start, BufferSize);

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var target = Buffer;
        if (!buffer.IsEmpty)
        {
            _bufferWritten = false;
        }

        while (!buffer.IsEmpty)
        {
            var n = Math.Min(BufferSize - _count, buffer.Length);
            buffer[..n].CopyTo(target[_count..]);
            _count += n;
            buffer = buffer[n..];
            if (_count == BufferSize)
            {
                WriteOut(target);
                _fileOffset += BufferSize;
                _count = 0;
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes what the buffer holds, so that the file has every byte written so far (readers see it; not yet durable).</summary>
    public override void Flush()
    {
        var target = Buffer;
        if (_count == 0 || _bufferWritten)
        {
            return;
        }

        WriteOut(target[.._count]);
        _bufferWritten = true;
        if (!IsDirect)
        {
            _fileOffset += _count;
            _count = 0;
            return;
        }

        // The partial last block stays in the buffer, so that the next direct write starts aligned: a later write completes
        // it and writes it again, whole, at the same offset.
        var whole = _count & ~(Alignment - 1);
        if (whole > 0)
        {
            target[whole.._count].CopyTo(target);
            _fileOffset += whole;
            _count -= whole;
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Flush();
        return Task.CompletedTask;
    }

    /// <summary>Writes what the buffer holds and flushes the file to stable storage (fsync), on the calling thread.</summary>
    /// <remarks>
    /// Starting the fsync on another thread as soon as the object was received, to overlap it with the parse, was measured
    /// and is slower (one association: commit 1.5 → 1.7–2.3 ms, 126–164 → 108–110 instances/s): the thread hop and the
    /// fsync competing with the parse for two CPUs cost more than the overlap saves.
    /// </remarks>
    public Task FlushToDiskAsync()
    {
        Flush();
        RandomAccess.FlushToDisk(_handle);
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _array is not null)
        {
            _handle.Dispose();
            Return(_array);
            _array = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>Writes <paramref name="data"/> (the buffer's start) at the buffer's file offset: head and partial tail through the page cache, the rest directly.</summary>
    private void WriteOut(ReadOnlySpan<byte> data)
    {
        var offset = _fileOffset;
        if (!IsDirect)
        {
            RandomAccess.Write(_handle, data, offset);
            return;
        }

        if (offset < HeadBytes)
        {
            var head = (int)Math.Min(data.Length, HeadBytes - offset);
            WriteBuffered(data[..head], offset);
            data = data[head..];
            offset += head;
        }

        var whole = data.Length & ~(Alignment - 1);
        if (whole > 0)
        {
            if (SetDescriptorDirect(true))
            {
                try
                {
                    RandomAccess.Write(_handle, data[..whole], offset);
                }
                catch (IOException) when (SetDescriptorDirect(false))
                {
                    // The file system took the flag but refused the write (an alignment larger than ours, say): through the
                    // page cache from here on. A real I/O error fails again below.
                    IsDirect = false;
                    RandomAccess.Write(_handle, data[..whole], offset);
                }
            }
            else
            {
                // Refused (EINVAL: no direct I/O on this file system).
                IsDirect = false;
                RandomAccess.Write(_handle, data[..whole], offset);
            }

            data = data[whole..];
            offset += whole;
        }

        if (!data.IsEmpty)
        {
            WriteBuffered(data, offset);
        }
    }

    private void WriteBuffered(ReadOnlySpan<byte> data, long offset)
    {
        if (!SetDescriptorDirect(false))
        {
            throw new IOException("The hot tier's temporary file cannot be switched back from direct I/O (fcntl failed).");
        }

        RandomAccess.Write(_handle, data, offset);
    }

    /// <summary>Sets or clears O_DIRECT on the descriptor; false when the kernel refused.</summary>
    private bool SetDescriptorDirect(bool direct)
    {
        if (_descriptorDirect == direct)
        {
            return true;
        }

        var flags = Fcntl(_handle, FGetFl, 0);
        if (flags < 0 || Fcntl(_handle, FSetFl, direct ? flags | s_oDirect : flags & ~s_oDirect) < 0)
        {
            return false;
        }

        _descriptorDirect = direct;
        return true;
    }

    private static byte[] Rent() =>
        s_pool.TryDequeue(out var array) ? array : GC.AllocateUninitializedArray<byte>(BufferSize + Alignment, pinned: true);

    private static void Return(byte[] array)
    {
        if (s_pool.Count < MaxPooledBuffers)
        {
            s_pool.Enqueue(array);
        }
    }

    private static int AlignedStart(byte[] array)
    {
        // Pinned (allocated on the pinned object heap): the address does not change.
        var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        return (int)((Alignment - (address % Alignment)) % Alignment);
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle fd, int command, int argument);
}
