namespace Elixir.Checkpoints;

/// <summary>Checks made on a checkpoint directory before any training step, so a bad one fails at once.</summary>
public static class CheckpointDirectory
{
    /// <summary>
    /// Checks that checkpoints can be written to <paramref name="directory"/>, creating it if needed, by writing,
    /// flushing and deleting a probe file; run it before training so an unusable directory fails at once.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be created or written; the message names it and the cause.</exception>
    public static void RequireWritable(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string probe = Path.Combine(directory, $".elixir-write-probe-{Environment.ProcessId}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"Checkpoint directory '{directory}' is not writable: {e.Message}", e);
        }
    }
}
