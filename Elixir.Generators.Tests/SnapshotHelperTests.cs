using Elixir.Generators.Tests.Infrastructure;

namespace Elixir.Generators.Tests;

public sealed class SnapshotHelperTests
{
    [Fact]
    public void UnifiedDiff_ShowsDistantChangesAsHunksWithThreeLinesOfContext()
    {
        string expected = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        string actual = "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n";

        string diff = Snapshot.UnifiedDiff(expected, actual, "X");

        Assert.Equal(
            "--- X.verified.cs\n+++ X.received.cs\n" +
            "@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n" +
            "@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n",
            diff);
    }

    [Fact]
    public void UnifiedDiff_MergesNearbyChangesIntoOneHunk()
    {
        string diff = Snapshot.UnifiedDiff("1\n2\n3\n4\n5\n", "1\nX\n3\nY\n5\n", "Y");

        Assert.Equal(
            "--- Y.verified.cs\n+++ Y.received.cs\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n-4\n+Y\n 5\n",
            diff);
    }

    [Fact]
    public void Mismatch_WritesReceivedFileAndFails()
    {
        string directory = Directory.CreateTempSubdirectory("elixir-snapshot-").FullName;
        try
        {
            string snapshots = Directory.CreateDirectory(Path.Combine(directory, "Snapshots")).FullName;
            File.WriteAllText(Path.Combine(snapshots, "Probe.verified.cs"), "old\n");

            var error = Assert.ThrowsAny<Exception>(() => Snapshot.Verify("new\n", "Probe", snapshots));

            Assert.Contains("-old\n+new", error.Message, StringComparison.Ordinal);
            Assert.Equal("new\n", File.ReadAllText(Path.Combine(snapshots, "Probe.received.cs")));
            Assert.Equal("old\n", File.ReadAllText(Path.Combine(snapshots, "Probe.verified.cs")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
