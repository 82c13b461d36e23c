using Elixir.Samples.Data;
using Microsoft.ML.Tokenizers;

namespace Elixir.Cli.Training;

/// <summary>The text the model trains on, as token ids: by character, or with the real GPT-2 BPE tokenizer.</summary>
internal sealed class TrainingCorpus
{
    private static readonly Lazy<Tokenizer> Gpt2Tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    private TrainingCorpus(string source, string text, bool gpt2)
    {
        Source = source;
        if (gpt2)
        {
            Tokens = [.. Gpt2Tokenizer.Value.EncodeToIds(text)];
            VocabularySize = Gpt2VocabularySize;
        }
        else
        {
            var tokenizer = CharTokenizer.FromText(text);
            Tokens = tokenizer.Encode(text);
            VocabularySize = tokenizer.VocabularySize;
        }
    }

    /// <summary>GPT-2's vocabulary: 50,000 merges, 256 byte tokens and <c>&lt;|endoftext|&gt;</c>.</summary>
    public const int Gpt2VocabularySize = 50257;

    /// <summary>Where the text came from, for the header line.</summary>
    public string Source { get; }

    /// <summary>The number of distinct token ids the model embeds.</summary>
    public int VocabularySize { get; }

    /// <summary>The text as token ids.</summary>
    public int[] Tokens { get; }

    /// <summary>The generated sample text (<see cref="SampleText.Default"/>).</summary>
    public static TrainingCorpus Sample(bool gpt2 = false) =>
        new($"generated sample text ({SampleText.DefaultLength / 1024} KiB)", SampleText.Default, gpt2);

    /// <summary>Reads a UTF-8 text file; a missing, unreadable or too short file is an input error.</summary>
    public static TrainingCorpus Read(string path, int sequenceLength, bool gpt2 = false)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            string reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            throw new CliException(ExitCodes.BadInput, $"--corpus {path}: cannot read the corpus: {reason}.");
        }

        if (text.Length < sequenceLength + 2)
        {
            throw new CliException(ExitCodes.BadInput,
                $"--corpus {path}: holds {text.Length} characters; sequences of {sequenceLength} need at least {sequenceLength + 2}.");
        }

        var corpus = new TrainingCorpus(path, text, gpt2);
        if (corpus.Tokens.Length < sequenceLength + 2)
        {
            throw new CliException(ExitCodes.BadInput,
                $"--corpus {path}: holds {corpus.Tokens.Length} GPT-2 tokens; sequences of {sequenceLength} need at least {sequenceLength + 2}.");
        }

        return corpus;
    }
}
