using System.Text;

namespace Elixir.Samples.Data;

/// <summary>
/// Generates the sample training corpus: English-like sentences from a small fixed grammar, driven by a seeded
/// generator. The text is regular enough that a character model's loss falls within a few hundred steps, yet
/// varied enough that it cannot simply be memorised.
/// </summary>
public static class SampleText
{
    /// <summary>The seed behind <see cref="Default"/>.</summary>
    public const ulong DefaultSeed = 1859;

    /// <summary>The length of <see cref="Default"/> in characters (about 48 KB).</summary>
    public const int DefaultLength = 48 * 1024;

    private static readonly string[] Determiners = ["the", "a", "every", "one", "that", "this"];
    private static readonly string[] Adjectives =
        ["old", "quiet", "small", "bright", "green", "tired", "clever", "cold", "little", "gentle", "dark", "happy"];
    private static readonly string[] Nouns =
        ["river", "garden", "farmer", "child", "bird", "ship", "lamp", "king", "road", "window", "dog", "teacher", "storm", "letter"];
    private static readonly string[] TransitiveVerbs =
        ["sees", "finds", "follows", "keeps", "watches", "carries", "remembers", "opens", "loves", "hears"];
    private static readonly string[] IntransitiveVerbs = ["sleeps", "waits", "sings", "rests", "wanders", "listens", "shines"];
    private static readonly string[] Adverbs = ["slowly", "softly", "again", "today", "at night", "in the morning", "alone"];
    private static readonly string[] Prepositions = ["near", "under", "beside", "behind", "across", "over"];
    private static readonly string[] Conjunctions = ["and", "but", "while", "because"];

    /// <summary>The corpus the samples train on by default.</summary>
    public static string Default { get; } = Generate(DefaultLength, DefaultSeed);

    /// <summary>Generates at least <paramref name="minLength"/> characters of text, ending at a paragraph break.</summary>
    public static string Generate(int minLength, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minLength);
        var random = new SplitMix64(seed);
        var text = new StringBuilder(minLength + 256);
        int sentencesInParagraph = 0;
        while (text.Length < minLength)
        {
            AppendSentence(text, ref random);
            sentencesInParagraph++;
            if (sentencesInParagraph >= 3 + random.NextInt(3))
            {
                text.Append('\n');
                sentencesInParagraph = 0;
            }
            else
            {
                text.Append(' ');
            }
        }

        if (text[^1] != '\n')
        {
            text[^1] = '\n';
        }

        return text.ToString();
    }

    private static void AppendSentence(StringBuilder text, ref SplitMix64 random)
    {
        int start = text.Length;
        AppendClause(text, ref random);
        if (random.NextInt(3) == 0)
        {
            text.Append(", ").Append(Pick(Conjunctions, ref random)).Append(' ');
            AppendClause(text, ref random);
        }

        text.Append(random.NextInt(8) == 0 ? '!' : '.');
        text[start] = char.ToUpperInvariant(text[start]);
    }

    private static void AppendClause(StringBuilder text, ref SplitMix64 random)
    {
        AppendNounPhrase(text, ref random);
        text.Append(' ');
        if (random.NextInt(2) == 0)
        {
            text.Append(Pick(TransitiveVerbs, ref random)).Append(' ');
            AppendNounPhrase(text, ref random);
        }
        else
        {
            text.Append(Pick(IntransitiveVerbs, ref random));
        }

        int tail = random.NextInt(4);
        if (tail == 0)
        {
            text.Append(' ').Append(Pick(Adverbs, ref random));
        }
        else if (tail == 1)
        {
            text.Append(' ').Append(Pick(Prepositions, ref random)).Append(' ');
            AppendNounPhrase(text, ref random);
        }
    }

    private static void AppendNounPhrase(StringBuilder text, ref SplitMix64 random)
    {
        text.Append(Pick(Determiners, ref random)).Append(' ');
        if (random.NextInt(2) == 0)
        {
            text.Append(Pick(Adjectives, ref random)).Append(' ');
        }

        text.Append(Pick(Nouns, ref random));
    }

    private static string Pick(string[] words, ref SplitMix64 random) => words[random.NextInt(words.Length)];
}
