using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// The three POSIX calls .NET has no managed form of for a directory: <see cref="System.IO.FileStream"/> refuses to
/// open one, so a rename cannot otherwise be flushed to disk. Linux and macOS only (<c>libc</c>).
/// </summary>
internal static partial class Libc
{
    /// <summary><c>O_RDONLY</c>: a directory is opened read-only to be fsync'ed.</summary>
    internal const int ReadOnly = 0;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int close(int fd);
}
