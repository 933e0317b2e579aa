using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Vna.Codecs.Native;

/// <summary>
/// Collects a native library's error messages for one call. OpenJPEG may call the handler from its worker threads, so
/// appending is locked; the handle passed as client data is freed on dispose.
/// </summary>
internal sealed unsafe class NativeMessages : IDisposable
{
    private readonly StringBuilder _errors = new();
    private GCHandle _handle;

    public NativeMessages()
    {
        _handle = GCHandle.Alloc(this);
    }

    public void* ClientData => (void*)GCHandle.ToIntPtr(_handle);

    public static delegate* unmanaged[Cdecl]<byte*, void*, void> ErrorHandler => &OnError;

    public static delegate* unmanaged[Cdecl]<byte*, void*, void> IgnoreHandler => &OnIgnore;

    public string Text
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString().Trim();
            }
        }
    }

    public string Describe(string fallback)
    {
        var text = Text;
        return text.Length > 0 ? text : fallback;
    }

    public void Dispose()
    {
        if (_handle.IsAllocated)
        {
            _handle.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(byte* message, void* client)
    {
        try
        {
            if (GCHandle.FromIntPtr((nint)client).Target is NativeMessages sink && message != null)
            {
                var text = Marshal.PtrToStringUTF8((nint)message) ?? "";
                lock (sink._errors)
                {
                    if (sink._errors.Length < 2000)
                    {
                        sink._errors.Append(text.Trim()).Append("; ");
                    }
                }
            }
        }
        catch (Exception)
        {
            // An exception must never cross back into native code.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnIgnore(byte* message, void* client)
    {
    }
}
