using System.Globalization;
using System.Security.Cryptography;
using Elixir.Collectives;

namespace Elixir.Checkpoints;

/// <summary>
/// What every file of one save carries in its metadata, so that files of different saves are never taken for one
/// checkpoint: the save's <paramref name="Id"/> (random, the same on every rank) and the optimizer step it holds.
/// </summary>
/// <param name="Id">Twelve lowercase hex digits, chosen by rank 0 for each save.</param>
/// <param name="Step">The number of optimizer steps the saved state has taken.</param>
public readonly record struct CheckpointStamp(string Id, long Step)
{
    /// <summary>The metadata key of the save's id.</summary>
    public const string IdKey = "elixir.checkpoint_id";

    /// <summary>The metadata key of the saved step (the engine's own step record uses the same key).</summary>
    public const string StepKey = "elixir.step";

    /// <summary>A new stamp with a fresh random id, for a save on one rank.</summary>
    public static CheckpointStamp New(long step) => new(Format(Draw()), step);

    /// <summary>
    /// A stamp every rank agrees on: rank 0 draws the id and the others take it (one scalar all-reduce; the id
    /// fits a double exactly). Every rank calls it with the same <paramref name="step"/>.
    /// </summary>
    public static CheckpointStamp Agree(ICommunicator communicator, long step)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        double proposal = communicator.Rank == 0 ? Draw() : 0;
        return new CheckpointStamp(Format((long)communicator.AllReduce(proposal, ReduceOp.Max)), step);
    }

    /// <summary>The stamp recorded in <paramref name="metadata"/>, or null when either part is missing or malformed.</summary>
    public static CheckpointStamp? Find(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.TryGetValue(IdKey, out string? id) && IsId(id)
            && metadata.TryGetValue(StepKey, out string? text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long step)
            ? new CheckpointStamp(id, step)
            : null;
    }

    /// <summary>Adds the stamp's two entries to <paramref name="metadata"/>.</summary>
    public void AddTo(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        metadata[IdKey] = Id;
        metadata[StepKey] = Step.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public override string ToString() => $"step {Step} (save {Id})";

    /// <summary>True when <paramref name="id"/> has the form of a save id (it also becomes part of file names).</summary>
    internal static bool IsId(string? id) => id is { Length: 12 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>A random id in [1, 2^48): 48 bits make two saves' ids collide about once in 10^14 pairs.</summary>
    private static long Draw()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Math.Max(1, (long)(BitConverter.ToUInt64(bytes) >> 16));
    }

    private static string Format(long id) => id.ToString("x12", CultureInfo.InvariantCulture);
}
