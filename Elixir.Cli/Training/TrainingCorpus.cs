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

    /// <summary>The largest corpus read, so that a wrong path to a huge file fails instead of filling memory.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Reads a UTF-8 text file; a missing, unreadable, too short or too large file, or one that is not text
    /// (invalid UTF-8, or NUL and other control characters than tab, line and page breaks), is an input error.
    /// </summary>
    public static TrainingCorpus Read(string path, int sequenceLength, bool gpt2 = false)
    {
        string text;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxBytes)
            {
                throw new CliException(ExitCodes.BadInput, $"--corpus {path}: is {length} bytes, over the {MaxBytes}-byte limit of a corpus.");
            }

            byte[] bytes = File.ReadAllBytes(path);
            int bom = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes.AsSpan(bom));
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new CliException(ExitCodes.BadInput, $"--corpus {path}: is not UTF-8 text (invalid byte at offset {e.Index}).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            string reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            throw new CliException(ExitCodes.BadInput, $"--corpus {path}: cannot read the corpus: {reason}.");
        }

        int control = text.AsSpan().IndexOfAnyInRange('\0', '\u0008');
        if (control < 0)
        {
            control = text.AsSpan().IndexOfAnyInRange('\u000e', '\u001f');
        }

        if (control >= 0)
        {
            throw new CliException(ExitCodes.BadInput,
                $"--corpus {path}: is not text (control character U+{(int)text[control]:X4} at character {control}).");
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
