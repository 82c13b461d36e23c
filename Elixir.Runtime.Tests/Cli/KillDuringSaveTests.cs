using System.Diagnostics;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>
/// <c>elixir train</c> as a child process, saving a sharded checkpoint after every step, killed with SIGKILL at
/// random moments: each time the directory either has no checkpoint yet or one that resumes to exactly the
/// parameters of a run never interrupted, and the resumed run leaves no staged or temporary file behind.
/// </summary>
public sealed class KillDuringSaveTests(ITestOutputHelper log) : IDisposable
{
    private const int Kills = 30;
    private const int Steps = 12;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public void KilledAtRandomDuringSaves_TheDirectoryResumesExactlyOrHasNoCheckpoint()
    {
        string reference = Path.Combine(_dir.Path, "reference");
        Assert.Equal(0, Train(reference).WaitForExitCode());
        var expected = DataSections(reference);

        var random = new Random(13);
        int kills = 0, withCheckpoint = 0, midSave = 0;
        for (int round = 0; kills < Kills && round < 2 * Kills; round++)
        {
            string directory = Path.Combine(_dir.Path, $"round{round}");
            using (var run = Train(directory))
            {
                // The kill follows the run's progress, not the clock, so a loaded machine moves it no closer to the
                // start or the end: once the checkpoint of a random step exists, a random few milliseconds later.
                long step = random.Next(0, Steps - 1);
                int extraMs = random.Next(0, 40);
                var waited = Stopwatch.StartNew();
                while (!run.HasExited && SavedStep(directory) < step)
                {
                    Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"round {round}: no checkpoint of step {step} within 2 minutes");
                    Thread.Sleep(1);
                }

                Thread.Sleep(extraMs);
                if (run.HasExited)
                {
                    continue;
                }

                run.Kill(entireProcessTree: true);
                run.WaitForExit();
                kills++;
            }

            if (Directory.GetFiles(directory, ".*").Length > 0)
            {
                midSave++;
            }

            if (!File.Exists(Path.Combine(directory, "gpt2-char.safetensors.index.json")))
            {
                Assert.Empty(Directory.GetFiles(directory, "gpt2-char-*.safetensors"));
                continue;
            }

            withCheckpoint++;

            // The resume runs in this process: the kills need real processes, the check does not.
            var (code, _, error) = CliRunner.Run([.. Arguments(directory), "--resume"]);
            Assert.True(code == 0, $"round {round}: resume exited {code}: {error}");

            Assert.Empty(Directory.GetFiles(directory, ".*"));
            var actual = DataSections(directory);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (file, bytes) in expected)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(actual[file]), $"round {round}: {file} differs from the uninterrupted run");
            }
        }

        log.WriteLine($"{kills} kills: {withCheckpoint} left a checkpoint that resumed exactly, {kills - withCheckpoint} none; {midSave} landed inside a save.");
        Assert.True(kills >= Kills, $"only {kills} of the runs were still going when killed");
        Assert.True(withCheckpoint > 0, "no kill landed after the first checkpoint");
    }

    /// <summary>The step of the directory's committed checkpoint, or -1.</summary>
    private static long SavedStep(string directory)
    {
        string index = Path.Combine(directory, "gpt2-char.safetensors.index.json");
        try
        {
            return File.Exists(index) ? Elixir.Checkpoints.CheckpointIndex.Read(index).Stamp.Step : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>The tensor bytes of every rank file of the directory's checkpoint (the headers differ by the save id).</summary>
    private static Dictionary<string, byte[]> DataSections(string directory)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(directory, "gpt2-char-*.safetensors"))
        {
            long offset;
            using (var file = SafetensorsFile.Open(path))
            {
                offset = file.Header.DataOffset;
            }

            result[Path.GetFileName(path)] = File.ReadAllBytes(path)[(int)offset..];
        }

        return result;
    }

    private static string[] Arguments(string directory) =>
        ["train", "--ranks", "2", "--steps", $"{Steps}", "--batch", "4", "--channels", "16", "--heads", "2",
            "--layers", "1", "--sequence-length", "16", "--log-every", "1000", "--checkpoint-dir", directory, "--checkpoint-every", "1"];

    private static Process Train(string directory) => ElixirProcess.Start(Arguments(directory));
}

internal static class ProcessExtensions
{
    public static int WaitForExitCode(this Process process)
    {
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "elixir train did not finish within 2 minutes");
        return process.ExitCode;
    }
}
