using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>
/// OpenJPEG streams over memory: a reader over a pinned span and a growable native writer. The state lives on the caller's
/// stack (the calls are synchronous); the callbacks are static, catch nothing because they cannot throw.
/// </summary>
internal static unsafe class OpjMemoryStreams
{
    private const nuint ChunkSize = 1 << 20;

    public struct Reader
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    public struct Writer
    {
        public byte* Data;
        public long Capacity;
        public long Length;
        public long Position;
    }

    public static nint CreateReader(Reader* state)
    {
        var stream = OpenJpegNative.opj_stream_create(ChunkSize, 1);
        if (stream == 0)
        {
            return 0;
        }

        OpenJpegNative.opj_stream_set_user_data(stream, state, null);
        OpenJpegNative.opj_stream_set_user_data_length(stream, (ulong)state->Length);
        OpenJpegNative.opj_stream_set_read_function(stream, &Read);
        OpenJpegNative.opj_stream_set_skip_function(stream, &ReaderSkip);
        OpenJpegNative.opj_stream_set_seek_function(stream, &ReaderSeek);
        return stream;
    }

    public static nint CreateWriter(Writer* state)
    {
        var stream = OpenJpegNative.opj_stream_create(ChunkSize, 0);
        if (stream == 0)
        {
            return 0;
        }

        OpenJpegNative.opj_stream_set_user_data(stream, state, null);
        OpenJpegNative.opj_stream_set_write_function(stream, &Write);
        OpenJpegNative.opj_stream_set_skip_function(stream, &WriterSkip);
        OpenJpegNative.opj_stream_set_seek_function(stream, &WriterSeek);
        return stream;
    }

    public static void Free(Writer* state)
    {
        if (state->Data != null)
        {
            NativeMemory.Free(state->Data);
            state->Data = null;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint Read(void* destination, nuint count, void* user)
    {
        var r = (Reader*)user;
        var left = r->Length - r->Position;
        if (left <= 0)
        {
            return unchecked((nuint)(-1));
        }

        var n = Math.Min(left, (long)count);
        Buffer.MemoryCopy(r->Data + r->Position, destination, (long)count, n);
        r->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long ReaderSkip(long count, void* user)
    {
        var r = (Reader*)user;
        var target = r->Position + count;
        if (target < 0)
        {
            return -1;
        }

        var moved = Math.Min(target, r->Length) - r->Position;
        r->Position += moved;
        return moved;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReaderSeek(long position, void* user)
    {
        var r = (Reader*)user;
        if (position < 0 || position > r->Length)
        {
            return 0;
        }

        r->Position = position;
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint Write(void* source, nuint count, void* user)
    {
        var w = (Writer*)user;
        var end = w->Position + (long)count;
        if (!Ensure(w, end))
        {
            return unchecked((nuint)(-1));
        }

        Buffer.MemoryCopy(source, w->Data + w->Position, w->Capacity - w->Position, (long)count);
        w->Position = end;
        w->Length = Math.Max(w->Length, end);
        return count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long WriterSkip(long count, void* user)
    {
        var w = (Writer*)user;
        var target = w->Position + count;
        if (target < 0 || !Ensure(w, target))
        {
            return -1;
        }

        w->Position = target;
        w->Length = Math.Max(w->Length, target);
        return count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int WriterSeek(long position, void* user)
    {
        var w = (Writer*)user;
        if (position < 0 || !Ensure(w, position))
        {
            return 0;
        }

        w->Position = position;
        w->Length = Math.Max(w->Length, position);
        return 1;
    }

    private static bool Ensure(Writer* w, long size)
    {
        if (size <= w->Capacity)
        {
            return true;
        }

        var capacity = Math.Max(size, Math.Max(64 * 1024, w->Capacity * 2));
        var grown = (byte*)NativeMemory.Realloc(w->Data, (nuint)capacity);
        if (grown == null)
        {
            return false;
        }

        NativeMemory.Clear(grown + w->Capacity, (nuint)(capacity - w->Capacity));
        w->Data = grown;
        w->Capacity = capacity;
        return true;
    }
}
