using Elixir.Cli.Training;
using Elixir.Runtime.Tests.Safetensors;

namespace Elixir.Runtime.Tests.Cli;

public sealed class Gpt2TokenizerCorpusTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_corpus_is_tokenized_with_gpt2s_own_byte_pair_encoding()
    {
        string path = _dir.File("corpus.txt");
        File.WriteAllText(path, "Hello world, hello world");

        var corpus = TrainingCorpus.Read(path, sequenceLength: 1, gpt2: true);

        // The ids OpenAI's GPT-2 encoder gives: "Hello", " world", ",", " hello", " world".
        Assert.Equal([15496, 995, 11, 23748, 995], corpus.Tokens);
        Assert.Equal(50257, corpus.VocabularySize);
    }

    [Fact]
    public void A_corpus_with_too_few_gpt2_tokens_for_one_sequence_is_an_input_error()
    {
        string path = _dir.File("short.txt");
        File.WriteAllText(path, "Hello world, hello world");

        var error = Assert.Throws<Elixir.Cli.CliException>(() => TrainingCorpus.Read(path, sequenceLength: 4, gpt2: true));

        Assert.Equal(3, error.ExitCode);
        Assert.Contains("holds 5 GPT-2 tokens; sequences of 4 need at least 6.", error.Message);
    }
}
