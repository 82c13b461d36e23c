using Elixir.Planning;

namespace Elixir.Cli.Commands;

/// <summary>Reads a memory size option (<c>24GiB</c>, <c>512MiB</c>, <c>1.5GB</c>, bytes).</summary>
internal static class MemorySizeOption
{
    /// <summary>The size in bytes, or null when the option was not given; a malformed size is a usage error naming the option.</summary>
    public static long? Parse(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return ByteSize.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Usage, $"{option}: {e.Message}");
        }
    }
}
