using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

/// <summary>
/// Names and flat ranges of every GPT-2 tensor, computed independently of <see cref="Gpt2Parameters"/> from
/// the GPT-2 order and shapes, so failures name the tensor.
/// </summary>
internal static class TensorNames
{
    public static List<(string Name, int Start, int Length)> Gpt2(Gpt2Config config)
    {
        int c = config.Channels;
        var rows = new List<(string, int, int)>();
        int offset = 0;
        void Add(string name, int length)
        {
            rows.Add((name, offset, length));
            offset += length;
        }

        Add("wte", config.VocabularySize * c);
        Add("wpe", config.SequenceLength * c);
        for (int l = 0; l < config.Layers; l++)
        {
            Add($"h.{l}.ln_1.weight", c);
            Add($"h.{l}.ln_1.bias", c);
            Add($"h.{l}.attn.c_attn.weight", 3 * c * c);
            Add($"h.{l}.attn.c_attn.bias", 3 * c);
            Add($"h.{l}.attn.c_proj.weight", c * c);
            Add($"h.{l}.attn.c_proj.bias", c);
            Add($"h.{l}.ln_2.weight", c);
            Add($"h.{l}.ln_2.bias", c);
            Add($"h.{l}.mlp.c_fc.weight", 4 * c * c);
            Add($"h.{l}.mlp.c_fc.bias", 4 * c);
            Add($"h.{l}.mlp.c_proj.weight", 4 * c * c);
            Add($"h.{l}.mlp.c_proj.bias", c);
        }

        Add("ln_f.weight", c);
        Add("ln_f.bias", c);
        return rows;
    }
}
