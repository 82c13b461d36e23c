using Elixir.Memory;
using Elixir.Planning;

namespace Elixir.Cli.Commands;

/// <summary>
/// The per-rank memory breakdown <c>elixir plan</c> and <c>elixir train</c> both print, from a plan's
/// <see cref="MemoryPlan"/>: the device is the working memory compute runs in, the host holds what is offloaded
/// (on the host backend both are RAM, counted apart).
/// </summary>
internal static class MemoryTable
{
    public const string DeviceLabel = "device (working)";
    public const string HostLabel = "host (offloaded)";

    public static void Write(TextWriter output, MemoryPlan memory)
    {
        output.WriteLine($"{"memory per rank",-26}  {DeviceLabel,16}  {HostLabel,16}");
        foreach (var category in MemoryCategories.All)
        {
            if (category is MemoryCategory.TransientIO or MemoryCategory.Other)
            {
                continue;
            }

            Row(output, category.DisplayName(), memory.Steady(MemoryLocation.Device, category), memory.Steady(MemoryLocation.Host, category));
        }

        Row(output, "training total", memory.Steady(MemoryLocation.Device), memory.Steady(MemoryLocation.Host));
        Row(output, "construction peak", memory.Construction(MemoryLocation.Device), memory.Construction(MemoryLocation.Host));
        Row(output, "checkpoint-save peak", memory.CheckpointSave(MemoryLocation.Device), memory.CheckpointSave(MemoryLocation.Host));
        Row(output, "planned peak", memory.Peak(MemoryLocation.Device), memory.Peak(MemoryLocation.Host));
        output.WriteLine($"{"model working memory",-26}  {ByteSize.Format(memory.WorkingMemoryBytes),16}  {"-",16}");
    }

    private static void Row(TextWriter output, string kind, long device, long host) =>
        output.WriteLine($"{kind,-26}  {ByteSize.Format(device),16}  {ByteSize.Format(host),16}");
}
