using Elixir.Numerics;
using Elixir.Safetensors;

namespace Elixir.Checkpoints;

/// <summary>
/// One safetensors file holding every tensor whole, under its original name and shape: what rank 0 writes after
/// gathering, and what the Python <c>safetensors</c> package reads.
/// </summary>
public static class ConsolidatedCheckpoint
{
    /// <summary>
    /// Assembles <paramref name="pieces"/> into whole tensors (the pieces of a tensor must tile it exactly; a
    /// single piece <c>[0, n)</c> is the usual case) and writes them atomically to <paramref name="path"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Pieces of a tensor disagree on shape or dtype, overlap, or leave a gap.</exception>
    public static void Save(string path, IEnumerable<ShardData> pieces, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var order = new List<string>();
        var byName = new Dictionary<string, List<ShardData>>(StringComparer.Ordinal);
        foreach (ShardData piece in pieces)
        {
            piece.Shard.Validate(piece.Data.Length, "data");
            if (!byName.TryGetValue(piece.Shard.Name, out List<ShardData>? list))
            {
                byName[piece.Shard.Name] = list = [];
                order.Add(piece.Shard.Name);
            }

            list.Add(piece);
        }

        var tensors = new List<SafetensorsTensor>(order.Count);
        foreach (string name in order)
        {
            tensors.Add(Assemble(path, byName[name]));
        }

        SafetensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Loads each target's range from <paramref name="path"/> and returns the file's metadata. Every name, shape
    /// and dtype is checked and every byte read before any destination is written, so a bad file changes nothing.
    /// </summary>
    /// <exception cref="CheckpointFormatException">A tensor is missing or its shape or dtype differs.</exception>
    /// <exception cref="SafetensorsFormatException">The file is corrupt or truncated.</exception>
    public static IReadOnlyDictionary<string, string> Load(string path, IReadOnlyList<ShardTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var infos = new SafetensorsTensorInfo[targets.Count];
        for (int i = 0; i < targets.Count; i++)
        {
            TensorShard shard = targets[i].Shard;
            shard.Validate(targets[i].Destination.Length, "destination");
            infos[i] = Find(file.Header, shard);
        }

        var staged = new byte[targets.Count][];
        for (int i = 0; i < targets.Count; i++)
        {
            TensorShard shard = targets[i].Shard;
            var whole = new byte[infos[i].ByteLength];
            file.ReadTensor(infos[i], whole);
            int size = shard.DType.SizeOf();
            staged[i] = whole.AsSpan((int)(shard.Start * size), (int)shard.ByteCount).ToArray();
        }

        for (int i = 0; i < targets.Count; i++)
        {
            staged[i].CopyTo(targets[i].Destination.Span);
        }

        return file.Header.Metadata;
    }

    private static SafetensorsTensorInfo Find(SafetensorsHeader header, TensorShard shard)
    {
        SafetensorsTensorInfo? info = header.Tensors.FirstOrDefault(t => t.Name == shard.Name);
        if (info is null)
        {
            throw new CheckpointFormatException(header.FilePath, shard.Name, $"missing (the file holds {header.Tensors.Count} tensors).");
        }

        if (info.DType != shard.DType.SafetensorsName() || !info.Shape.SequenceEqual(shard.GlobalShape))
        {
            throw new CheckpointFormatException(header.FilePath, shard.Name,
                $"stored as {info.DType} [{string.Join(",", info.Shape)}] but expected {shard.DType.SafetensorsName()} [{shard.ShapeText}].");
        }

        return info;
    }

    private static SafetensorsTensor Assemble(string path, List<ShardData> pieces)
    {
        TensorShard first = pieces[0].Shard;
        pieces.Sort((a, b) => a.Shard.Start.CompareTo(b.Shard.Start));
        var whole = new byte[first.GlobalElementCount * first.DType.SizeOf()];
        long next = 0;
        foreach (ShardData piece in pieces)
        {
            TensorShard shard = piece.Shard;
            if (shard.DType != first.DType || !shard.GlobalShape.SequenceEqual(first.GlobalShape))
            {
                throw new ArgumentException(
                    $"{path}: tensor '{first.Name}': pieces disagree ({first.DType} [{first.ShapeText}] vs {shard.DType} [{shard.ShapeText}]).");
            }

            if (shard.Start != next)
            {
                throw new ArgumentException(
                    $"{path}: tensor '{first.Name}': pieces {(shard.Start < next ? "overlap" : "leave a gap")} at element {Math.Min(next, shard.Start)}.");
            }

            piece.Data.Span.CopyTo(whole.AsSpan((int)(shard.Start * shard.DType.SizeOf())));
            next = shard.End;
        }

        if (next != first.GlobalElementCount)
        {
            throw new ArgumentException(
                $"{path}: tensor '{first.Name}': pieces cover [0, {next}) of its {first.GlobalElementCount} elements.");
        }

        return new SafetensorsTensor(first.Name, first.DType.SafetensorsName(), first.GlobalShape, whole);
    }
}
