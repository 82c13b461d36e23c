using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Elixir.Generators;

/// <summary>How names from the user's code are written into generated source and hint names.</summary>
internal static class Identifiers
{
    private const int MaxHintStem = 100;

    /// <summary>
    /// <paramref name="name"/> as a C# identifier: keywords (<c>class</c>, written <c>@class</c> by the user) and
    /// contextual keywords get the <c>@</c> prefix, which is legal before any identifier.
    /// </summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>A dotted name (a namespace) with each part escaped.</summary>
    public static string EscapeDotted(string dotted) =>
        string.Join(".", System.Array.ConvertAll(dotted.Split('.'), Escape));

    /// <summary>
    /// A hint name for the type whose metadata name is <paramref name="metadataName"/> (e.g. <c>Demo.Outer+Layer</c>).
    /// Hint names must be legal file names and unique ignoring case, so the readable stem keeps only ASCII
    /// letters, digits, '_' and '.', and a hash of the exact name keeps <c>Layer</c> and <c>layer</c> apart.
    /// </summary>
    public static string HintName(string metadataName)
    {
        var stem = new StringBuilder(System.Math.Min(metadataName.Length, MaxHintStem));
        foreach (char c in metadataName)
        {
            if (stem.Length == MaxHintStem)
            {
                break;
            }

            stem.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' ? c : '_');
        }

        return stem + "." + Fnv1a(metadataName).ToString("x16", CultureInfo.InvariantCulture) + ".g.cs";
    }

    // FNV-1a over UTF-16 code units: stable across processes and runtimes, unlike string.GetHashCode.
    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
