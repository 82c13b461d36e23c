using System.Text;
using System.Text.Json;

namespace Elixir.Cli.Training;

/// <summary>
/// The one JSON object <c>elixir train --json</c> prints: final loss, throughput, steps, and rank 0's planned and
/// measured peak bytes per location (<c>"memory": {"planned": {...}, "peak": {...}}</c>, the field names
/// <c>elixir plan --json</c> uses), each with its breakdown by category beside it.
/// </summary>
internal static class TrainJson
{
    public static string Write(TrainingOutcome outcome)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (outcome.Losses.Length > 0)
            {
                json.WriteNumber("finalLoss", outcome.Losses[^1]);
            }
            else
            {
                json.WriteNull("finalLoss");
            }

            json.WriteNumber("tokensPerSecond", Math.Round(outcome.TokensPerSecond, 1));
            if (outcome.TokensPerSecondAfterFirstStep is double steady)
            {
                json.WriteNumber("tokensPerSecondAfterFirstStep", Math.Round(steady, 1));
            }
            else
            {
                json.WriteNull("tokensPerSecondAfterFirstStep");
            }
            json.WriteNumber("steps", outcome.Losses.Length);
            json.WriteNumber("firstStep", outcome.FirstStep);
            json.WriteNumber("skipped", outcome.Skipped);
            json.WriteStartObject("memory");
            outcome.Plan.Memory.WriteJson(json);
            outcome.Memory.WriteJson(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
