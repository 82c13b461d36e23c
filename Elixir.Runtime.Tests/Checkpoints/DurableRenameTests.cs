using Elixir.Checkpoints;
using Elixir.Runtime.Tests.Safetensors;

namespace Elixir.Runtime.Tests.Checkpoints;

public sealed class DurableRenameTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Move_replaces_the_destination_and_leaves_no_source()
    {
        string source = Path.Combine(_dir.Path, ".new.tmp"), destination = Path.Combine(_dir.Path, "file");
        File.WriteAllText(source, "new");
        File.WriteAllText(destination, "old");

        DurableRename.Move(source, destination);

        Assert.Equal("new", File.ReadAllText(destination));
        Assert.False(File.Exists(source));
    }

    [Fact]
    public void Flushing_a_missing_directory_is_an_IO_error_naming_it()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Directories are flushed only where POSIX fsync exists.");
        string missing = Path.Combine(_dir.Path, "gone");

        var e = Assert.Throws<IOException>(() => DurableRename.FlushDirectory(missing));

        Assert.Contains($"'{missing}'", e.Message, StringComparison.Ordinal);
    }
}
