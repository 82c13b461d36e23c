using System.Text;
using System.Text.Json;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Planning;

/// <summary>
/// The planner's result: every chunk with its tensors, the public chunk size, the rCache, and the memory each
/// rank needs. Fused chunks come first, then public chunks in first-fit order.
/// </summary>
public sealed class Plan
{
    internal Plan(PlannerOptions options, IReadOnlyList<ChunkPlan> chunks, long chunkSize, RCachePlan rcache,
        RankMemory memory, MemoryPlan engineMemory, long publicElements, long? movedElements)
    {
        Memory = engineMemory;
        Options = options;
        Chunks = chunks;
        ChunkSize = chunkSize;
        RCache = rcache;
        MemoryPerRank = memory;
        PublicElements = publicElements;
        MovedElements = movedElements;
        PrivateChunks = chunks.Where(c => c.IsFused).ToArray();
        PublicChunks = chunks.Where(c => !c.IsFused).ToArray();
    }

    /// <summary>The options the plan was made for.</summary>
    public PlannerOptions Options { get; }

    /// <summary>All chunks: fused ones first, then public ones.</summary>
    public IReadOnlyList<ChunkPlan> Chunks { get; }

    /// <summary>The fused chunks, one per multi-use parameter.</summary>
    public IReadOnlyList<ChunkPlan> PrivateChunks { get; }

    /// <summary>The public chunks, all of <see cref="ChunkSize"/> elements.</summary>
    public IReadOnlyList<ChunkPlan> PublicChunks { get; }

    /// <summary>The public chunk size in elements, rounded up to the world size (0 without public parameters).</summary>
    public long ChunkSize { get; }

    /// <summary>The number of public chunks.</summary>
    public int PublicChunkCount => PublicChunks.Count;

    /// <summary>The rCache blocks each rank allocates.</summary>
    public RCachePlan RCache { get; }

    /// <summary>The memory each rank's chunks need: shards, optimizer state, accumulators and the rCache.</summary>
    public RankMemory MemoryPerRank { get; }

    /// <summary>Every byte an engine built from this plan allocates per rank, by location and category, with its peaks.</summary>
    public MemoryPlan Memory { get; }

    /// <summary>The elements of all public parameters.</summary>
    public long PublicElements { get; }

    /// <summary>Public chunk elements holding no parameter: <c>PublicChunkCount * ChunkSize - PublicElements</c>.</summary>
    public long WasteElements => PublicChunkCount * ChunkSize - PublicElements;

    /// <summary><see cref="WasteElements"/> as a percentage of <see cref="PublicElements"/>.</summary>
    public double WastePercent => PublicElements == 0 ? 0 : 100.0 * WasteElements / PublicElements;

    /// <summary>The elements the optimal search expects to move per step; null for the minimum-waste search.</summary>
    public long? MovedElements { get; }

    /// <summary>Writes the plan as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("search", Options.Search == SearchKind.Optimal ? "optimal" : "min-waste");
        json.WriteNumber("worldSize", Options.WorldSize);
        json.WriteString("dtype", Options.TrainingType.SafetensorsName());
        json.WriteNumber("chunkSize", ChunkSize);
        json.WriteNumber("publicElements", PublicElements);
        json.WriteNumber("wasteElements", WasteElements);
        json.WriteNumber("wastePercent", Math.Round(WastePercent, 4));
        json.WriteNumber("publicChunkCount", PublicChunkCount);
        json.WriteNumber("rcacheBlocks", RCache.PublicBlocks);
        json.WriteNumber("rcacheBlockSize", RCache.BlockSize);
        if (MovedElements is long moved)
        {
            json.WriteNumber("movedElements", moved);
        }

        json.WriteStartArray("privateChunks");
        foreach (var chunk in PrivateChunks)
        {
            json.WriteStartObject();
            json.WriteString("tensor", chunk.Tensors[0].Name);
            json.WriteNumber("size", chunk.Size);
            json.WriteString("shardLocation", LocationName(chunk.ShardLocation));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("chunks");
        foreach (var chunk in PublicChunks)
        {
            json.WriteStartObject();
            json.WriteNumber("size", chunk.Size);
            json.WriteString("shardLocation", LocationName(chunk.ShardLocation));
            json.WriteStartArray("tensors");
            foreach (var t in chunk.Tensors)
            {
                json.WriteStringValue(t.Name);
            }

            json.WriteEndArray();
            json.WriteStartArray("offsets");
            foreach (var t in chunk.Tensors)
            {
                json.WriteNumberValue(t.Offset);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("memoryPerRank");
        WriteBreakdown(json, "device", MemoryPerRank.Device);
        WriteBreakdown(json, "host", MemoryPerRank.Host);
        json.WriteEndObject();
        json.WriteStartObject("memory");
        Memory.WriteJson(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The plan as indented JSON text.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteJson(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The name JSON and tables use for a location.</summary>
    public static string LocationName(MemoryLocation location) => location == MemoryLocation.Device ? "device" : "host";

    private static void WriteBreakdown(Utf8JsonWriter json, string name, MemoryBreakdown m)
    {
        json.WriteStartObject(name);
        json.WriteNumber("parameters", m.Parameters);
        json.WriteNumber("gradients", m.Gradients);
        json.WriteNumber("optimizerState", m.OptimizerState);
        json.WriteNumber("rcache", m.RCache);
        json.WriteNumber("total", m.Total);
        json.WriteEndObject();
    }
}
