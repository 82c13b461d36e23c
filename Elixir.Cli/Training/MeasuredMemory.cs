using System.Text.Json;
using Elixir.Memory;
using Elixir.Planning;

namespace Elixir.Cli.Training;

/// <summary>The peak bytes a backend measured per location, in total and per category.</summary>
internal sealed record MeasuredMemory(long DevicePeak, long HostPeak, long[] DeviceByCategory, long[] HostByCategory)
{
    public static MeasuredMemory Of(MemoryCounters counters)
    {
        var device = new long[MemoryCategories.Count];
        var host = new long[MemoryCategories.Count];
        foreach (var category in MemoryCategories.All)
        {
            device[(int)category] = counters.Peak(MemoryLocation.Device, category);
            host[(int)category] = counters.Peak(MemoryLocation.Host, category);
        }

        return new MeasuredMemory(counters.Peak(MemoryLocation.Device), counters.Peak(MemoryLocation.Host), device, host);
    }

    /// <summary>Writes <c>"peak": {"device": B, "host": B}</c> and <c>"peakByCategory"</c> into the current JSON object.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject("peak");
        json.WriteNumber("device", DevicePeak);
        json.WriteNumber("host", HostPeak);
        json.WriteEndObject();
        json.WriteStartObject("peakByCategory");
        foreach (var (name, values) in (ReadOnlySpan<(string, long[])>)[(Plan.LocationName(MemoryLocation.Device), DeviceByCategory), (Plan.LocationName(MemoryLocation.Host), HostByCategory)])
        {
            json.WriteStartObject(name);
            foreach (var category in MemoryCategories.All)
            {
                json.WriteNumber(category.JsonName(), values[(int)category]);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
