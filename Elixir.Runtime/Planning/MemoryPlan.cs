using System.Text.Json;
using Elixir.Memory;

namespace Elixir.Planning;

/// <summary>
/// Every byte an engine built from a plan allocates on one rank, by location and category: the steady state of
/// training, and the peaks of construction and of a checkpoint save (which add transient buffers to it). The
/// engine sizes its buffers from here, so the plan and the run cannot disagree about them.
/// </summary>
public sealed class MemoryPlan
{
    private readonly long[] _steady;
    private readonly long[] _construction;
    private readonly long[] _checkpointSave;

    internal MemoryPlan(long[] steady, long[] construction, long[] checkpointSave, EngineBuffers buffers, long workingMemory)
    {
        _steady = steady;
        _construction = construction;
        _checkpointSave = checkpointSave;
        Buffers = buffers;
        WorkingMemoryBytes = workingMemory;
    }

    /// <summary>The sizes of the engine's own buffers (staging, gradient scratch, reduce workspace).</summary>
    public EngineBuffers Buffers { get; }

    /// <summary>Device bytes the model needs beside the engine (activations), as given in the planner options.</summary>
    public long WorkingMemoryBytes { get; }

    /// <summary>Bytes of <paramref name="category"/> at <paramref name="location"/> while training.</summary>
    public long Steady(MemoryLocation location, MemoryCategory category) => _steady[Index(location, category)];

    /// <summary>Bytes at <paramref name="location"/> while training.</summary>
    public long Steady(MemoryLocation location)
    {
        long total = 0;
        foreach (var category in MemoryCategories.All)
        {
            total += Steady(location, category);
        }

        return total;
    }

    /// <summary>The most bytes live at <paramref name="location"/> while the engine is built.</summary>
    public long Construction(MemoryLocation location) => _construction[location == MemoryLocation.Device ? 0 : 1];

    /// <summary>The most bytes live at <paramref name="location"/> while a consolidated checkpoint is saved (or parameters gathered).</summary>
    public long CheckpointSave(MemoryLocation location) => _checkpointSave[location == MemoryLocation.Device ? 0 : 1];

    /// <summary>The most bytes the engine holds at <paramref name="location"/> at any time: construction, training or saving.</summary>
    public long Peak(MemoryLocation location) => Math.Max(Steady(location), Math.Max(Construction(location), CheckpointSave(location)));

    /// <summary>The device bytes a budget must hold: the engine's peak and the model's working memory.</summary>
    public long RequiredDeviceBytes => Peak(MemoryLocation.Device) + WorkingMemoryBytes;

    /// <summary>
    /// Writes <c>"planned": {"device": B, "host": B}</c> (peak bytes per location) and
    /// <c>"plannedByCategory"</c> (the steady state per location and category) into the current JSON object.
    /// </summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject("planned");
        json.WriteNumber("device", Peak(MemoryLocation.Device));
        json.WriteNumber("host", Peak(MemoryLocation.Host));
        json.WriteEndObject();
        json.WriteStartObject("plannedByCategory");
        foreach (var location in (ReadOnlySpan<MemoryLocation>)[MemoryLocation.Device, MemoryLocation.Host])
        {
            json.WriteStartObject(Plan.LocationName(location));
            foreach (var category in MemoryCategories.All)
            {
                json.WriteNumber(category.JsonName(), Steady(location, category));
            }

            json.WriteNumber("construction", Construction(location));
            json.WriteNumber("checkpointSave", CheckpointSave(location));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteNumber("workingMemory", WorkingMemoryBytes);
    }

    internal static int Index(MemoryLocation location, MemoryCategory category) =>
        ((location == MemoryLocation.Device ? 0 : 1) * MemoryCategories.Count) + (int)category;
}

/// <summary>The engine's own buffers, sized by the planner.</summary>
/// <param name="StagingBytes">fp32 staging of the staged tensors of the widest module (device).</param>
/// <param name="GradientScratchBytes">fp32 gradients of the single-use tensors of the widest module (device).</param>
/// <param name="PersistentGradientBytes">fp32 gradients of every multi-use tensor, kept across modules (device).</param>
/// <param name="ReduceWorkspaceElements">fp32 elements of the reduce workspace; 0 when gradients are reduced in the training type.</param>
public readonly record struct EngineBuffers(long StagingBytes, long GradientScratchBytes, long PersistentGradientBytes, long ReduceWorkspaceElements)
{
    /// <summary>The alignment of each tensor's place in the staging and gradient buffers.</summary>
    public const long SlotAlignment = 64;

    /// <summary>The bytes one tensor of <paramref name="elementCount"/> fp32 values takes in those buffers.</summary>
    public static long SlotBytes(long elementCount) =>
        (elementCount * sizeof(float) + SlotAlignment - 1) / SlotAlignment * SlotAlignment;

    /// <summary>The size a buffer of <paramref name="bytes"/> is allocated with (never empty, so every buffer has an address).</summary>
    public static long Allocated(long bytes) => Math.Max(bytes, SlotAlignment);
}
