using System.Runtime.CompilerServices;

// Blittable P/Invoke only: structs go by pointer, callbacks are unmanaged function pointers (see Native/).
[assembly: DisableRuntimeMarshalling]
