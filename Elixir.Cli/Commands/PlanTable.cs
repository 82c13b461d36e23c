using Elixir.Numerics;
using Elixir.Planning;

namespace Elixir.Cli.Commands;

/// <summary>The human-readable form of a plan.</summary>
internal static class PlanTable
{
    public static void Write(TextWriter output, string source, IReadOnlyList<PlanParameter> parameters, Plan plan)
    {
        var o = plan.Options;
        int elementBytes = o.TrainingType.SizeOf();
        output.WriteLine($"Model:        {source}: {parameters.Count} parameters, {parameters.Sum(p => p.ElementCount):N0} elements, {plan.PrivateChunks.Count} fused");
        output.WriteLine($"Settings:     {(o.Search == SearchKind.Optimal ? "optimal" : "min-waste")} search, world size {o.WorldSize}, {o.TrainingType.SafetensorsName()}, {o.Optimizer}, prefetch {(o.Prefetch ? "on" : "off")}{(o.Offload ? ", offload" : "")}");
        output.WriteLine($"Chunk size:   {plan.ChunkSize:N0} elements ({ByteSize.Format(plan.ChunkSize * elementBytes)})");
        output.WriteLine($"Chunks:       {plan.PublicChunkCount} public, {plan.PrivateChunks.Count} fused");
        output.WriteLine($"Waste:        {plan.WasteElements:N0} elements ({plan.WastePercent:F2} %)");
        output.WriteLine($"rCache:       {plan.RCache.PublicBlocks} blocks of {plan.RCache.BlockSize:N0} elements + {plan.RCache.PrivateBlockSizes.Count} private blocks");
        if (plan.MovedElements is long moved)
        {
            output.WriteLine($"Moves/step:   {moved:N0} elements");
        }

        output.WriteLine();
        output.WriteLine($"{"chunk",5}  {"size",14}  {"used",14}  {"fused",5}  {"shard",6}  tensors");
        for (int i = 0; i < plan.Chunks.Count; i++)
        {
            var c = plan.Chunks[i];
            string tensors = c.Tensors.Count == 1 ? c.Tensors[0].Name : $"{c.Tensors[0].Name} .. {c.Tensors[^1].Name} ({c.Tensors.Count})";
            output.WriteLine($"{i,5}  {c.Size,14:N0}  {c.UsedElements,14:N0}  {(c.IsFused ? "yes" : "no"),5}  {Plan.LocationName(c.ShardLocation),6}  {tensors}");
        }

        output.WriteLine();
        MemoryTable.Write(output, plan.Memory);
        if (o.DeviceMemoryBytes is long budget && plan.Memory.RequiredDeviceBytes > budget)
        {
            // Elixir's search counts only the chunk system against the budget; the engine around it needs more.
            output.WriteLine();
            output.WriteLine(
                $"Note: the chunks fit {ByteSize.Format(budget)} as Elixir's search counts them, but an engine built from this plan needs " +
                $"{ByteSize.Format(plan.Memory.RequiredDeviceBytes)} of device memory at its peak ({ByteSize.Format(plan.Memory.RequiredDeviceBytes - budget)} more); " +
                "elixir train --device-memory would refuse it.");
        }
    }
}
