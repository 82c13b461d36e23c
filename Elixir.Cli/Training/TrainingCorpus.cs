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

    /// <summary>The largest corpus read, so that a wrong path to a huge file fails instead of filling memory.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Reads a UTF-8 text file; a missing, unreadable, too short or too large file, or one that is not text
    /// (invalid UTF-8, or NUL and other control characters than tab, line and page breaks), is an input error.
    /// </summary>
    public static TrainingCorpus Read(string path, int sequenceLength)
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

        return new TrainingCorpus(path, text);
    }
}
