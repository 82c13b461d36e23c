namespace Elixir.Samples.Data;

/// <summary>
/// A character-level tokenizer: the vocabulary is the distinct characters of a text, sorted by code point, so
/// the same text always gives the same token ids.
/// </summary>
public sealed class CharTokenizer
{
    private readonly char[] _characters;
    private readonly Dictionary<char, int> _ids;

    private CharTokenizer(char[] characters)
    {
        _characters = characters;
        _ids = new Dictionary<char, int>(characters.Length);
        for (int i = 0; i < characters.Length; i++)
        {
            _ids.Add(characters[i], i);
        }
    }

    /// <summary>The number of distinct tokens.</summary>
    public int VocabularySize => _characters.Length;

    /// <summary>The vocabulary in id order.</summary>
    public ReadOnlySpan<char> Characters => _characters;

    /// <summary>Builds the vocabulary of <paramref name="text"/>.</summary>
    public static CharTokenizer FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new ArgumentException("Cannot build a character vocabulary from an empty text.", nameof(text));
        }

        var distinct = new SortedSet<char>(text);
        return new CharTokenizer([.. distinct]);
    }

    /// <summary>Encodes <paramref name="text"/> into token ids.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_ids.TryGetValue(text[i], out tokens[i]))
            {
                throw new ArgumentException(
                    $"Character U+{(int)text[i]:X4} at index {i} is not in the {VocabularySize}-character vocabulary.", nameof(text));
            }
        }

        return tokens;
    }

    /// <summary>Decodes token ids back into text.</summary>
    public string Decode(ReadOnlySpan<int> tokens)
    {
        var chars = new char[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            int id = tokens[i];
            if ((uint)id >= (uint)_characters.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(tokens), $"Token {id} at index {i} is outside the vocabulary of {VocabularySize} characters.");
            }

            chars[i] = _characters[id];
        }

        return new string(chars);
    }
}
