using Elixir.Planning;

namespace Elixir.Cli.Presets;

/// <summary>Parameter lists of well-known checkpoints, with the Hugging Face names, shapes and order.</summary>
internal static class ModelPresets
{
    /// <summary>The preset names <c>--preset</c> accepts.</summary>
    public static readonly string[] Names = ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "llama-7b"];

    /// <summary>The parameters of preset <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    public static IReadOnlyList<PlanParameter> Get(string name) => name switch
    {
        "gpt2" => Gpt2(channels: 768, layers: 12),
        "gpt2-medium" => Gpt2(channels: 1024, layers: 24),
        "gpt2-large" => Gpt2(channels: 1280, layers: 36),
        "gpt2-xl" => Gpt2(channels: 1600, layers: 48),
        "llama-7b" => Llama(hidden: 4096, intermediate: 11008, layers: 32, vocabulary: 32000),
        _ => throw new ArgumentException($"Unknown preset '{name}'; choose one of {string.Join(", ", Names)}."),
    };

    /// <summary>GPT-2: vocabulary 50257, 1024 positions, the head tied to the token embedding.</summary>
    public static IReadOnlyList<PlanParameter> Gpt2(int channels, int layers)
    {
        const int vocabulary = 50257;
        const int positions = 1024;
        long c = channels;
        var list = new List<PlanParameter>
        {
            new("transformer.wte.weight", [vocabulary, c], ["transformer.wte", "lm_head"]),
            Param("transformer.wpe.weight", positions, c),
        };
        for (int i = 0; i < layers; i++)
        {
            string h = $"transformer.h.{i}";
            list.Add(Param($"{h}.ln_1.weight", c));
            list.Add(Param($"{h}.ln_1.bias", c));
            list.Add(Param($"{h}.attn.c_attn.weight", c, 3 * c));
            list.Add(Param($"{h}.attn.c_attn.bias", 3 * c));
            list.Add(Param($"{h}.attn.c_proj.weight", c, c));
            list.Add(Param($"{h}.attn.c_proj.bias", c));
            list.Add(Param($"{h}.ln_2.weight", c));
            list.Add(Param($"{h}.ln_2.bias", c));
            list.Add(Param($"{h}.mlp.c_fc.weight", c, 4 * c));
            list.Add(Param($"{h}.mlp.c_fc.bias", 4 * c));
            list.Add(Param($"{h}.mlp.c_proj.weight", 4 * c, c));
            list.Add(Param($"{h}.mlp.c_proj.bias", c));
        }

        list.Add(Param("transformer.ln_f.weight", c));
        list.Add(Param("transformer.ln_f.bias", c));
        return list;
    }

    /// <summary>Llama-2: untied head, no biases.</summary>
    public static IReadOnlyList<PlanParameter> Llama(int hidden, int intermediate, int layers, int vocabulary)
    {
        long d = hidden;
        long f = intermediate;
        var list = new List<PlanParameter> { Param("model.embed_tokens.weight", vocabulary, d) };
        for (int i = 0; i < layers; i++)
        {
            string l = $"model.layers.{i}";
            list.Add(Param($"{l}.self_attn.q_proj.weight", d, d));
            list.Add(Param($"{l}.self_attn.k_proj.weight", d, d));
            list.Add(Param($"{l}.self_attn.v_proj.weight", d, d));
            list.Add(Param($"{l}.self_attn.o_proj.weight", d, d));
            list.Add(Param($"{l}.mlp.gate_proj.weight", f, d));
            list.Add(Param($"{l}.mlp.up_proj.weight", f, d));
            list.Add(Param($"{l}.mlp.down_proj.weight", d, f));
            list.Add(Param($"{l}.input_layernorm.weight", d));
            list.Add(Param($"{l}.post_attention_layernorm.weight", d));
        }

        list.Add(Param("model.norm.weight", d));
        list.Add(Param("lm_head.weight", vocabulary, d));
        return list;
    }

    private static PlanParameter Param(string name, params long[] shape) => new(name, shape, [PlanParameter.DefaultModule(name)]);
}
