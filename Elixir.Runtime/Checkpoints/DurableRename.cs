using System.Runtime.InteropServices;
using Elixir.Interop;

namespace Elixir.Checkpoints;

/// <summary>
/// Renames a file that is already flushed over its final name, then flushes the directory, so that after a
/// power loss the name points at the new bytes or at the old ones, never at nothing: a rename lives in the
/// directory's own data, which the file's fsync does not write. Where the platform has no directory fsync
/// (Windows, where a rename is durable once it returns) only the rename happens.
/// </summary>
internal static class DurableRename
{
    /// <summary>Moves <paramref name="source"/> over <paramref name="destination"/> and makes the move durable.</summary>
    /// <exception cref="IOException">The move, or the directory's flush, failed; the message names the directory.</exception>
    public static void Move(string source, string destination)
    {
        File.Move(source, destination, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
    }

    /// <summary>Writes <paramref name="directory"/>'s entries (creations, renames, deletions) to disk.</summary>
    public static void FlushDirectory(string directory)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return;
        }

        int fd = Libc.open(directory, Libc.ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to flush it: {Marshal.GetLastPInvokeErrorMessage()}.");
        }

        try
        {
            if (Libc.fsync(fd) != 0)
            {
                throw new IOException($"Flushing directory '{directory}' to disk failed: {Marshal.GetLastPInvokeErrorMessage()}.");
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
