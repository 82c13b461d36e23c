using System.CommandLine;
using System.Text.Json;
using Elixir.Cli.Presets;
using Elixir.Cli.Training;
using Elixir.Samples.Models;
using Elixir.Numerics;
using Elixir.Planning;
using Elixir.Safetensors;

namespace Elixir.Cli.Commands;

/// <summary><c>elixir plan</c>: chunk sizes, rCache and per-rank memory for a model's parameters.</summary>
internal static class PlanCommand
{
    private static readonly Option<string> s_preset = new Option<string>("--preset") { Description = "A known model: " + string.Join(", ", ModelPresets.Names) }
        .AcceptOnlyFromAmong(ModelPresets.Names);
    private static readonly Option<string> s_safetensors = new("--safetensors") { Description = "Plan the tensors of a safetensors file (reads the header only)" };
    private static readonly Option<string> s_params = new("--params") { Description = "Plan a JSON list [{\"name\", \"shape\", \"modules\"}]" };
    private static readonly Option<int> s_worldSize = new("--world-size") { Description = "Ranks the chunks are sharded over", DefaultValueFactory = _ => 1 };
    private static readonly Option<string> s_dtype = DTypeOption.Create("Training type");
    private static readonly Option<string> s_gpuMemory = new("--gpu-memory", "--device-memory") { Description = "Device memory per rank, e.g. 24GiB, 512MiB, 1.5GB" };
    private static readonly Option<string> s_sample = new Option<string>("--sample") { Description = $"Plan a sample model by name, as elixir train builds it: {SamplePlan.Name}" }
        .AcceptOnlyFromAmong(SamplePlan.Name);
    private static readonly Gpt2Config s_sampleDefaults = Gpt2Config.Default(1);
    private static readonly Option<int> s_channels = new("--channels") { Description = "Sample model width C", DefaultValueFactory = _ => s_sampleDefaults.Channels };
    private static readonly Option<int> s_layers = new("--layers") { Description = "Sample transformer blocks L", DefaultValueFactory = _ => s_sampleDefaults.Layers };
    private static readonly Option<int> s_heads = new("--heads") { Description = "Sample attention heads H", DefaultValueFactory = _ => s_sampleDefaults.Heads };
    private static readonly Option<int> s_sequenceLength = new("--sequence-length") { Description = "Sample tokens per sequence T", DefaultValueFactory = _ => s_sampleDefaults.SequenceLength };
    private static readonly Option<int> s_batch = new("--batch") { Description = "Sample sequences per step over all ranks (its activations)", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> s_accumulation = new("--accumulation") { Description = "Micro-batches per step", DefaultValueFactory = _ => 1 };
    private static readonly Option<long?> s_chunkSize = new("--chunk-size") { Description = "Public chunk size in elements instead of the search (minimum-waste)" };
    private static readonly Option<bool> s_offload = new("--offload") { Description = "Keep shards and optimizer state in host memory" };
    private static readonly Option<string> s_optimizer = new Option<string>("--optimizer") { Description = "Optimizer", DefaultValueFactory = _ => "adam" }
        .AcceptOnlyFromAmong("adam", "sgd", "sgd-no-momentum");
    private static readonly Option<string> s_search = new Option<string>("--search") { Description = "Chunk-size search", DefaultValueFactory = _ => "min-waste" }
        .AcceptOnlyFromAmong("min-waste", "optimal");
    private static readonly Option<bool> s_prefetch = new("--prefetch") { Description = "Prefetch chunks (more rCache blocks)" };
    private static readonly Option<bool> s_json = new("--json") { Description = "Print one JSON object instead of a table" };

    /// <summary>The command with its options and action.</summary>
    public static Command Create()
    {
        var command = new Command("plan", "Choose chunk sizes and the rCache and report memory per rank.")
        {
            s_preset, s_safetensors, s_params, s_worldSize, s_dtype, s_gpuMemory, s_offload, s_optimizer, s_search, s_prefetch, s_json,
            s_sample, s_channels, s_layers, s_heads, s_sequenceLength, s_batch, s_accumulation, s_chunkSize,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult result)
    {
        var options = ReadOptions(result);
        var (source, parameters, workingMemory) = LoadParameters(result, options);
        options = options with { WorkingMemoryBytes = workingMemory };
        var plan = Planner.Create(parameters, options);
        var output = result.InvocationConfiguration.Output;
        if (result.GetValue(s_json))
        {
            using var stdout = new MemoryStream();
            using (var json = new Utf8JsonWriter(stdout))
            {
                plan.WriteJson(json);
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
        }
        else
        {
            PlanTable.Write(output, source, parameters, plan);
        }

        return ExitCodes.Success;
    }

    private static (string Source, IReadOnlyList<PlanParameter> Parameters, long WorkingMemory) LoadParameters(ParseResult result, PlannerOptions options)
    {
        string? preset = result.GetValue(s_preset);
        string? safetensors = result.GetValue(s_safetensors);
        string? paramsFile = result.GetValue(s_params);
        string? sample = result.GetValue(s_sample);
        int given = (preset is null ? 0 : 1) + (safetensors is null ? 0 : 1) + (paramsFile is null ? 0 : 1) + (sample is null ? 0 : 1);
        if (given != 1)
        {
            throw new CliException(ExitCodes.Usage, $"plan needs exactly one of --preset, --safetensors or --params ({given} given) or --sample {SamplePlan.Name}.");
        }

        if (sample is not null)
        {
            var model = SampleModel(result, options);
            var c = model.Config;
            return ($"sample {sample} V={c.VocabularySize} T={c.SequenceLength} C={c.Channels} L={c.Layers} H={c.Heads}",
                model.Definition.PlanParameters(), model.Definition.WorkingMemoryBytes);
        }

        if (preset is not null)
        {
            return ($"preset {preset}", ModelPresets.Get(preset), 0);
        }

        if (safetensors is not null)
        {
            var parameters = ParameterSources.FromSafetensors(SafetensorsHeader.Read(safetensors));
            if (parameters.Count == 0)
            {
                throw new CliException(ExitCodes.BadInput, $"{safetensors}: holds no floating-point tensors to plan.");
            }

            return (safetensors, parameters, 0);
        }

        return (paramsFile!, ParameterSources.FromJsonFile(paramsFile!), 0);
    }

    private static Samples.Training.Gpt2Training SampleModel(ParseResult result, PlannerOptions options)
    {
        int channels = Positive(result, s_channels);
        int heads = Positive(result, s_heads);
        if (channels % heads != 0)
        {
            throw new CliException(ExitCodes.Usage, $"--heads {heads} does not divide --channels {channels}.");
        }

        int batch = Positive(result, s_batch);
        if (batch % (options.WorldSize * options.AccumulationSteps) != 0)
        {
            throw new CliException(ExitCodes.Usage,
                $"--batch {batch} does not divide evenly over {options.WorldSize} ranks × {options.AccumulationSteps} accumulation steps.");
        }

        return SamplePlan.Model(channels, Positive(result, s_layers), heads, Positive(result, s_sequenceLength),
            batch / options.AccumulationSteps / options.WorldSize);
    }

    private static int Positive(ParseResult result, Option<int> option)
    {
        int value = result.GetValue(option);
        return value > 0 ? value : throw new CliException(ExitCodes.Usage, $"{option.Name} must be positive, got {value}.");
    }

    private static PlannerOptions ReadOptions(ParseResult result)
    {
        int worldSize = result.GetValue(s_worldSize);
        if (worldSize <= 0)
        {
            throw new CliException(ExitCodes.Usage, $"--world-size must be positive, got {worldSize}.");
        }

        long? chunkSize = result.GetValue(s_chunkSize);
        if (chunkSize is <= 0)
        {
            throw new CliException(ExitCodes.Usage, $"--chunk-size must be positive, got {chunkSize}.");
        }

        // The same function as elixir train, so a sample planned here and trained there gets the same plan.
        return SamplePlan.Options(worldSize, DTypeOption.Value(result, s_dtype), result.GetValue(s_offload), result.GetValue(s_prefetch),
            Positive(result, s_accumulation), chunkSize, MemorySizeOption.Parse(result.GetValue(s_gpuMemory), "--gpu-memory"), workingMemoryBytes: 0) with
        {
            Optimizer = result.GetValue(s_optimizer) switch
            {
                "sgd" => OptimizerKind.Sgd,
                "sgd-no-momentum" => OptimizerKind.SgdWithoutMomentum,
                _ => OptimizerKind.Adam,
            },
            Search = result.GetValue(s_search) == "optimal" ? SearchKind.Optimal : SearchKind.MinimumWaste,
        };
    }
}
