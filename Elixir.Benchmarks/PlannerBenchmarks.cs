using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Elixir.Planning;

namespace Elixir.Benchmarks;

/// <summary>
/// Planning time for GPT-2 XL (580 parameters, tied embedding) and a 7B Llama-style model (291 parameters),
/// each against one first-fit pass over the same model's parameters as its baseline (one category per model).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PlannerBenchmarks
{
    private IReadOnlyList<PlanParameter> _gpt2Xl = [];
    private IReadOnlyList<PlanParameter> _llama7b = [];
    private long[] _gpt2XlNumels = [];
    private long[] _llamaNumels = [];

    [GlobalSetup]
    public void Setup()
    {
        _gpt2Xl = Gpt2(1600, 48);
        _llama7b = Llama(4096, 11008, 32, 32000);
        _gpt2XlNumels = _gpt2Xl.Select(p => p.ElementCount).ToArray();
        _llamaNumels = _llama7b.Select(p => p.ElementCount).ToArray();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Gpt2Xl")]
    public int FirstFitPass_Gpt2Xl() => FirstFit(_gpt2XlNumels);

    [Benchmark]
    [BenchmarkCategory("Gpt2Xl")]
    public Plan MinimumWaste_Gpt2Xl() => Planner.Create(_gpt2Xl, new PlannerOptions { WorldSize = 8, Prefetch = true });

    [Benchmark]
    [BenchmarkCategory("Gpt2Xl")]
    public Plan Optimal_Gpt2Xl() =>
        Planner.Create(_gpt2Xl, new PlannerOptions { Search = SearchKind.Optimal, DeviceMemoryBytes = 8L << 30 });

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Llama7b")]
    public int FirstFitPass_Llama7b() => FirstFit(_llamaNumels);

    [Benchmark]
    [BenchmarkCategory("Llama7b")]
    public Plan MinimumWaste_Llama7b() => Planner.Create(_llama7b, new PlannerOptions { WorldSize = 8, Prefetch = true });

    [Benchmark]
    [BenchmarkCategory("Llama7b")]
    public Plan Optimal_Llama7b() =>
        Planner.Create(_llama7b, new PlannerOptions { Search = SearchKind.Optimal, WorldSize = 8, DeviceMemoryBytes = 24L << 30 });

    /// <summary>One first-fit pass in declaration order at a fixed chunk size: the unit a size search repeats.</summary>
    private static int FirstFit(long[] numels)
    {
        int chunks = 0;
        long left = 0;
        foreach (long n in numels)
        {
            if (n > left)
            {
                chunks++;
                left = 1L << 28;
            }

            left -= n;
        }

        return chunks;
    }

    private static PlanParameter P(string name, params long[] shape) => new(name, shape, [PlanParameter.DefaultModule(name)]);

    private static List<PlanParameter> Gpt2(long c, int layers)
    {
        var list = new List<PlanParameter> { new("transformer.wte.weight", [50257, c], ["transformer.wte", "lm_head"]), P("transformer.wpe.weight", 1024, c) };
        for (int i = 0; i < layers; i++)
        {
            string h = $"transformer.h.{i}";
            list.AddRange([
                P($"{h}.ln_1.weight", c), P($"{h}.ln_1.bias", c), P($"{h}.attn.c_attn.weight", c, 3 * c), P($"{h}.attn.c_attn.bias", 3 * c),
                P($"{h}.attn.c_proj.weight", c, c), P($"{h}.attn.c_proj.bias", c), P($"{h}.ln_2.weight", c), P($"{h}.ln_2.bias", c),
                P($"{h}.mlp.c_fc.weight", c, 4 * c), P($"{h}.mlp.c_fc.bias", 4 * c), P($"{h}.mlp.c_proj.weight", 4 * c, c), P($"{h}.mlp.c_proj.bias", c),
            ]);
        }

        list.AddRange([P("transformer.ln_f.weight", c), P("transformer.ln_f.bias", c)]);
        return list;
    }

    private static List<PlanParameter> Llama(long d, long f, int layers, long vocabulary)
    {
        var list = new List<PlanParameter> { P("model.embed_tokens.weight", vocabulary, d) };
        for (int i = 0; i < layers; i++)
        {
            string l = $"model.layers.{i}";
            list.AddRange([
                P($"{l}.self_attn.q_proj.weight", d, d), P($"{l}.self_attn.k_proj.weight", d, d), P($"{l}.self_attn.v_proj.weight", d, d),
                P($"{l}.self_attn.o_proj.weight", d, d), P($"{l}.mlp.gate_proj.weight", f, d), P($"{l}.mlp.up_proj.weight", f, d),
                P($"{l}.mlp.down_proj.weight", d, f), P($"{l}.input_layernorm.weight", d), P($"{l}.post_attention_layernorm.weight", d),
            ]);
        }

        list.AddRange([P("model.norm.weight", d), P("lm_head.weight", vocabulary, d)]);
        return list;
    }
}
