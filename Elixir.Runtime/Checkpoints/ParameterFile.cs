using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Elixir.Numerics;
using Elixir.Safetensors;

namespace Elixir.Checkpoints;

/// <summary>
/// Reads a model's parameters whole from a safetensors file written elsewhere (a consolidated checkpoint, or
/// PyTorch's <c>save_pretrained</c>): each found by name, F32, F16 or BF16, converted to fp32.
/// </summary>
internal static class ParameterFile
{
    /// <summary>
    /// The values of the <paramref name="expected"/> tensors, by name. Every name, shape and dtype is checked, and
    /// every tensor of the file must be expected or <paramref name="ignorable"/>, before anything is read.
    /// </summary>
    /// <exception cref="CheckpointFormatException">A tensor is missing, has another shape, is not a float, or is unknown.</exception>
    public static Dictionary<string, float[]> Read(string path, IReadOnlyList<(string Name, ImmutableArray<long> Shape)> expected, Func<string, bool> ignorable)
    {
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var header = file.Header;
        var infos = new SafetensorsTensorInfo[expected.Count];
        for (int i = 0; i < expected.Count; i++)
        {
            var (name, shape) = expected[i];
            infos[i] = header.Tensors.FirstOrDefault(t => t.Name == name)
                ?? throw new CheckpointFormatException(path, name, $"missing (the file holds {header.Tensors.Count} tensors; expected shape [{string.Join(",", shape)}]).");
            if (!infos[i].Shape.SequenceEqual(shape))
            {
                throw new CheckpointFormatException(path, name,
                    $"has shape [{string.Join(",", infos[i].Shape)}] but the model expects [{string.Join(",", shape)}].");
            }

            if (infos[i].DType is not ("F32" or "F16" or "BF16"))
            {
                throw new CheckpointFormatException(path, name,
                    $"is stored as {infos[i].DType} but a parameter must be F32, F16 or BF16 (read as F32).");
            }
        }

        var known = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = header.Tensors.Select(t => t.Name).Where(n => !known.Contains(n) && !ignorable(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new CheckpointFormatException(path, unknown[0],
                $"is no parameter of the model; {unknown.Count} unknown tensor(s): {string.Join(", ", unknown.Take(5))}{(unknown.Count > 5 ? ", ..." : "")}.");
        }

        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < infos.Length; i++)
        {
            var bytes = new byte[infos[i].ByteLength];
            file.ReadTensor(infos[i], bytes);
            result[infos[i].Name] = ToSingles(infos[i].DType, bytes);
        }

        return result;
    }

    private static float[] ToSingles(string dtype, byte[] bytes) => dtype switch
    {
        "F16" => [.. MemoryMarshal.Cast<byte, Half>(bytes).ToArray().Select(h => (float)h)],
        "BF16" => [.. MemoryMarshal.Cast<byte, ushort>(bytes).ToArray().Select(b => BFloat16.FromBits(b).ToSingle())],
        _ => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
    };
}
