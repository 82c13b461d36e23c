using System.Text.Json;
using Elixir.Runtime.Tests.Planning;

namespace Elixir.Runtime.Tests.Cli;

public sealed class PlanCommandGpt2Tests
{
    // GPT-2 small as in the Hugging Face checkpoint: C = 768, 12 layers, vocabulary 50257, 1024 positions;
    // transformer.wte is tied to lm_head, so it is the one fused parameter.
    private static List<(string Name, long Elements)> Gpt2Public()
    {
        const long c = 768;
        var list = new List<(string, long)> { ("transformer.wpe.weight", 1024 * c) };
        for (int i = 0; i < 12; i++)
        {
            string h = $"transformer.h.{i}";
            list.AddRange([
                ($"{h}.ln_1.weight", c), ($"{h}.ln_1.bias", c),
                ($"{h}.attn.c_attn.weight", c * 3 * c), ($"{h}.attn.c_attn.bias", 3 * c),
                ($"{h}.attn.c_proj.weight", c * c), ($"{h}.attn.c_proj.bias", c),
                ($"{h}.ln_2.weight", c), ($"{h}.ln_2.bias", c),
                ($"{h}.mlp.c_fc.weight", c * 4 * c), ($"{h}.mlp.c_fc.bias", 4 * c),
                ($"{h}.mlp.c_proj.weight", 4 * c * c), ($"{h}.mlp.c_proj.bias", c),
            ]);
        }

        list.AddRange([("transformer.ln_f.weight", c), ("transformer.ln_f.bias", c)]);
        return list;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, true)]
    public void PlanJson_MatchesAFirstFitComputedHere(int worldSize, bool prefetch)
    {
        string[] args = ["plan", "--preset", "gpt2", "--json", "--world-size", worldSize.ToString()];
        var (code, output, error) = CliRunner.Run(prefetch ? [.. args, "--prefetch"] : args);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;

        var pub = Gpt2Public();
        var numels = pub.Select(p => p.Elements).ToArray();
        // 147 public parameters: 16 Mi / (2 * 256) = 32,768 steps over a 64 MiB gap: 2,048 bytes = 512 elements.
        Assert.Equal((8_388_608L, 25_165_824L, 512L), ReferenceSearch.Range(numels, 4));
        long size = ReferenceSearch.MinimumWasteSize(numels, 4);
        long chunkSize = (size + worldSize - 1) / worldSize * worldSize;
        var chunks = ReferenceSearch.FirstFit(numels, size);
        long publicElements = numels.Sum();
        long waste = chunks.Count * chunkSize - publicElements;

        Assert.Equal(chunkSize, root.GetProperty("chunkSize").GetInt64());
        Assert.Equal(chunks.Count, root.GetProperty("publicChunkCount").GetInt32());
        Assert.Equal(waste, root.GetProperty("wasteElements").GetInt64());
        Assert.Equal(100.0 * waste / publicElements, root.GetProperty("wastePercent").GetDouble(), 3);

        var privateChunk = Assert.Single(root.GetProperty("privateChunks").EnumerateArray());
        long wte = 50257L * 768;
        Assert.Equal("transformer.wte.weight", privateChunk.GetProperty("tensor").GetString());
        Assert.Equal((wte + worldSize - 1) / worldSize * worldSize, privateChunk.GetProperty("size").GetInt64());

        var chunkJson = root.GetProperty("chunks").EnumerateArray().ToArray();
        int next = 0;
        for (int k = 0; k < chunks.Count; k++)
        {
            var names = chunkJson[k].GetProperty("tensors").EnumerateArray().Select(t => t.GetString()).ToArray();
            Assert.Equal(pub.Skip(next).Take(chunks[k].Count).Select(p => p.Name), names);
            Assert.Equal(chunkSize, chunkJson[k].GetProperty("size").GetInt64());
            next += chunks[k].Count;
        }

        // Every GPT-2 module's weight and bias share a chunk except where first fit splits them.
        var chunkOfName = new Dictionary<string, int>();
        next = 0;
        for (int k = 0; k < chunks.Count; k++)
        {
            for (int j = 0; j < chunks[k].Count; j++)
            {
                chunkOfName[pub[next++].Name] = k;
            }
        }

        int most = pub.GroupBy(p => p.Name[..p.Name.LastIndexOf('.')]).Max(g => g.Select(p => chunkOfName[p.Name]).Distinct().Count());
        int blocks = prefetch ? Math.Min(most + 4, chunks.Count) : most;
        Assert.Equal(blocks, root.GetProperty("rcacheBlocks").GetInt32());

        // fp32 Adam on the device: shard 4 B, master and two moments 12 B per shard element; rCache 4 B per element.
        long shard = (chunks.Count * chunkSize + (wte + worldSize - 1) / worldSize * worldSize) / worldSize;
        var device = root.GetProperty("memoryPerRank").GetProperty("device");
        Assert.Equal(shard * 4, device.GetProperty("parameters").GetInt64());
        Assert.Equal(shard * 12, device.GetProperty("optimizerState").GetInt64());
        Assert.Equal((blocks * chunkSize + (wte + worldSize - 1) / worldSize * worldSize) * 4, device.GetProperty("rcache").GetInt64());
        Assert.Equal(0, root.GetProperty("memoryPerRank").GetProperty("host").GetProperty("total").GetInt64());
    }

    [Fact]
    public void PlanTable_ShowsTheSummary()
    {
        var (code, output, error) = CliRunner.Run("plan", "--preset", "gpt2-medium", "--dtype", "fp16", "--offload");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("Chunk size:", output);
        Assert.Contains("rCache:", output);
        Assert.Contains("optimizer state", output);
        Assert.Contains("transformer.wte.weight", output);
    }

    // GPT-2 small, fp32, Adam, optimal search: the engine's device peak is 2.66 GiB (the checkpoint-save phase).
    [Theory]
    [InlineData("4GiB", null)]
    [InlineData("2.5GiB", "Note: the chunks fit 2.50 GiB as Elixir's search counts them, but an engine built from this plan needs 2.66 GiB")]
    public void PlanTable_SaysWhenTheEngineAroundTheChunksExceedsTheBudget(string budget, string? note)
    {
        var (code, output, error) = CliRunner.Run("plan", "--preset", "gpt2", "--search", "optimal", "--gpu-memory", budget);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        if (note is null)
        {
            Assert.DoesNotContain("Note:", output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(note, output, StringComparison.Ordinal);
            Assert.Contains("elixir train --device-memory would refuse it.", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Presets_LlamaAndXl_PlanWithOptimalSearch()
    {
        var (code, output, _) = CliRunner.Run("plan", "--preset", "llama-7b", "--json", "--world-size", "8", "--dtype", "bf16");
        Assert.Equal(0, code);
        using var llama = JsonDocument.Parse(output);
        Assert.Empty(llama.RootElement.GetProperty("privateChunks").EnumerateArray());
        long elements = llama.RootElement.GetProperty("chunks").EnumerateArray()
            .Sum(c => c.GetProperty("tensors").GetArrayLength());
        Assert.Equal(1 + 32 * 9 + 1 + 1, elements); // embedding, 32 layers of 9, norm, head

        var (xlCode, xlOutput, xlError) = CliRunner.Run("plan", "--preset", "gpt2-xl", "--json", "--search", "optimal", "--gpu-memory", "8GiB");
        Assert.Equal("", xlError);
        Assert.Equal(0, xlCode);
        using var xl = JsonDocument.Parse(xlOutput);
        Assert.True(xl.RootElement.GetProperty("memoryPerRank").GetProperty("device").GetProperty("total").GetInt64() <= 8L << 30);
    }
}
