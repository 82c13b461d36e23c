using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Elixir.Generators.Tests.Infrastructure;

/// <summary>
/// Compares text with a committed <c>Snapshots/NAME.verified.cs</c> of this test project. A mismatch writes
/// <c>NAME.received.cs</c> beside it and fails with a unified diff; <c>ELIXIR_ACCEPT_SNAPSHOTS=1</c> accepts.
/// </summary>
internal static class Snapshot
{
    private const string AcceptVariable = "ELIXIR_ACCEPT_SNAPSHOTS";
    private const int ContextLines = 3;

    public static void Verify(string actual, string name) => Verify(actual, name, RepositoryPaths.Snapshots);

    /// <summary>Compares with <c>NAME.verified.cs</c> in <paramref name="directory"/>.</summary>
    public static void Verify(string actual, string name, string directory)
    {
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        string expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : string.Empty;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        Assert.Fail(
            $"Snapshot '{name}' differs from {verifiedPath}; the new output is in {receivedPath} " +
            $"(set {AcceptVariable}=1 to accept it).\n{UnifiedDiff(expected, actual, name)}");
    }

    /// <summary>A unified diff (<c>@@ -a,b +c,d @@</c> hunks with three lines of context).</summary>
    public static string UnifiedDiff(string expected, string actual, string name)
    {
        List<DiffPiece> lines = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false).Lines;

        // Both texts end with a newline; DiffPlex reports the empty remainder after it as one more line.
        if (lines.Count > 0 && lines[^1] is { Type: ChangeType.Unchanged, Text: "" })
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var output = new StringBuilder();
        output.Append("--- ").Append(name).Append(".verified.cs\n");
        output.Append("+++ ").Append(name).Append(".received.cs\n");
        int index = 0;
        while (index < lines.Count)
        {
            int change = lines.FindIndex(index, l => l.Type != ChangeType.Unchanged);
            if (change < 0)
            {
                break;
            }

            int start = Math.Max(index, change - ContextLines);
            int end = HunkEnd(lines, change);
            AppendHunk(output, lines, start, end);
            index = end;
        }

        return output.ToString();
    }

    // A hunk ends after ContextLines unchanged lines that are not followed by another change within reach.
    private static int HunkEnd(List<DiffPiece> lines, int change)
    {
        int position = change;
        int unchangedRun = 0;
        while (position < lines.Count && unchangedRun < 2 * ContextLines)
        {
            unchangedRun = lines[position].Type == ChangeType.Unchanged ? unchangedRun + 1 : 0;
            position++;
        }

        return position - Math.Max(0, unchangedRun - ContextLines);
    }

    private static void AppendHunk(StringBuilder output, List<DiffPiece> lines, int start, int end)
    {
        int oldStart = 1 + lines.Take(start).Count(l => l.Type != ChangeType.Inserted);
        int newStart = 1 + lines.Take(start).Count(l => l.Type != ChangeType.Deleted);
        List<DiffPiece> hunk = lines.GetRange(start, end - start);
        int oldCount = hunk.Count(l => l.Type != ChangeType.Inserted);
        int newCount = hunk.Count(l => l.Type != ChangeType.Deleted);
        output.Append($"@@ -{oldStart},{oldCount} +{newStart},{newCount} @@\n");
        foreach (DiffPiece line in hunk)
        {
            char prefix = line.Type switch
            {
                ChangeType.Deleted => '-',
                ChangeType.Inserted => '+',
                _ => ' ',
            };
            output.Append(prefix).Append(line.Text).Append('\n');
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
