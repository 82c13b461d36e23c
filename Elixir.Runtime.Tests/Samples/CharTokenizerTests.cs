using Elixir.Samples.Data;

namespace Elixir.Runtime.Tests.Samples;

public sealed class CharTokenizerTests
{
    [Fact]
    public void Vocabulary_IsTheDistinctCharactersInCodePointOrder()
    {
        var tokenizer = CharTokenizer.FromText("banana band");
        Assert.Equal(" abdn", new string(tokenizer.Characters));
        Assert.Equal([2, 1, 4, 1, 4, 1, 0, 2, 1, 4, 3], tokenizer.Encode("banana band"));
    }

    [Fact]
    public void DecodeOfEncode_ReturnsTheText()
    {
        var tokenizer = CharTokenizer.FromText(SampleText.Default);
        string text = SampleText.Default[..500];
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void UnknownCharactersAndTokens_AreRejectedWithTheirPosition()
    {
        var tokenizer = CharTokenizer.FromText("abc");
        var error = Assert.Throws<ArgumentException>(() => tokenizer.Encode("abz"));
        Assert.Contains("index 2", error.Message);
        var tokenError = Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([0, 3]));
        Assert.Contains("Token 3 at index 1", tokenError.Message);
        Assert.Throws<ArgumentException>(() => CharTokenizer.FromText(""));
    }

    [Fact]
    public void SampleText_IsDeterministic_AndFitsASmallVocabulary()
    {
        Assert.Equal(SampleText.Default, SampleText.Generate(SampleText.DefaultLength, SampleText.DefaultSeed));
        Assert.NotEqual(SampleText.Default, SampleText.Generate(SampleText.DefaultLength, SampleText.DefaultSeed + 1));
        Assert.True(SampleText.Default.Length >= SampleText.DefaultLength);
        int vocabulary = CharTokenizer.FromText(SampleText.Default).VocabularySize;
        Assert.InRange(vocabulary, 20, 64);
    }
}
