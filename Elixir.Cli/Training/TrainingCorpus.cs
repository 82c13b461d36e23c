using Elixir.Samples.Data;

namespace Elixir.Cli.Training;

/// <summary>The text the model trains on, tokenized by character.</summary>
internal sealed class TrainingCorpus
{
    private TrainingCorpus(string source, string text)
    {
        Source = source;
        Tokenizer = CharTokenizer.FromText(text);
        Tokens = Tokenizer.Encode(text);
    }

    /// <summary>Where the text came from, for the header line.</summary>
    public string Source { get; }

    /// <summary>The character vocabulary.</summary>
    public CharTokenizer Tokenizer { get; }

    /// <summary>The text as token ids.</summary>
    public int[] Tokens { get; }

    /// <summary>The generated sample text (<see cref="SampleText.Default"/>).</summary>
    public static TrainingCorpus Sample() => new($"generated sample text ({SampleText.DefaultLength / 1024} KiB)", SampleText.Default);

    /// <summary>Reads a UTF-8 text file; a missing, unreadable or too short file is an input error.</summary>
    public static TrainingCorpus Read(string path, int sequenceLength)
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

        return new TrainingCorpus(path, text);
    }
}
