using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Reports;

namespace Elixir.Benchmarks;

/// <summary>
/// Each benchmark's mean time as a ratio to its class's baseline from the same run, written as one JSON object
/// ({"Class.Method": ratio}) for the device check's summary; a failed benchmark is null.
/// </summary>
internal static class BenchmarkRatios
{
    internal const string OutputVariable = "ELIXIR_BENCHMARK_RATIOS";

    internal static bool AnySucceeded(IEnumerable<Summary> summaries) =>
        summaries.SelectMany(summary => summary.Reports).Any(report => report.Success && report.ResultStatistics is not null);

    internal static void WriteIfAsked(IEnumerable<Summary> summaries, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var ratios = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        foreach (BenchmarkReport[] reports in summaries.SelectMany(s => s.Reports).GroupBy(r => r.BenchmarkCase.Descriptor.Type).Select(g => g.ToArray()))
        {
            double? baseline = reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline)?.ResultStatistics?.Mean;
            foreach (BenchmarkReport report in reports)
            {
                string name = $"{report.BenchmarkCase.Descriptor.Type.Name}.{report.BenchmarkCase.Descriptor.WorkloadMethod.Name}";
                double? mean = report.Success ? report.ResultStatistics?.Mean : null;
                ratios[name] = mean is { } m && baseline is { } b && b > 0 ? Math.Round(m / b, 4) : null;
            }
        }

        File.WriteAllText(path, JsonSerializer.Serialize(ratios));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ratios to each class's baseline written to {path}."));
    }
}
