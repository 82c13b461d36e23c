using Elixir.Planning;
using Elixir.Samples.Models;

namespace Elixir.Cli.Training;

/// <summary>What a run trains, known once the engines are built.</summary>
/// <param name="Config">The model's sizes.</param>
/// <param name="Plan">The chunk plan every rank built its engine from.</param>
/// <param name="FirstStep">The 0-based step the run starts from (0, or the resumed step).</param>
internal sealed record TrainingStart(Gpt2Config Config, Plan Plan, int FirstStep);
