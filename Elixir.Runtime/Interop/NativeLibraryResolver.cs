using System.Reflection;
using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// Routes the bindings' library names to the handles <see cref="NativeLibraries"/> found. The binding classes
/// register it from their static constructors, so nothing is loaded until CUDA or NCCL is first used.
/// </summary>
internal static class NativeLibraryResolver
{
    private static int s_registered;

    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        NativeLibraryNames.Cuda => NativeLibraries.Cuda.Handle,
        NativeLibraryNames.Nccl => NativeLibraries.Nccl.Handle,
        NativeLibraryNames.Cublas => NativeLibraries.Cublas.Handle,
        _ => 0,
    };
}
