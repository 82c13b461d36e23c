using Elixir.Cuda;

namespace Elixir.Interop;

/// <summary>Checks a library is loadable before the first binding call, so callers never see a DllNotFoundException.</summary>
internal static class LibraryGuard
{
    internal static void RequireCuda() => Require(NativeLibraries.Cuda);

    internal static void RequireNccl() => Require(NativeLibraries.Nccl);

    internal static void RequireCublas() => Require(NativeLibraries.Cublas);

    private static void Require(NativeLibraryAvailability availability)
    {
        if (!availability.IsAvailable)
        {
            throw new NativeLibraryNotAvailableException(availability.Name, availability.Searched);
        }
    }
}
