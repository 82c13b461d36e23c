using System.CommandLine;
using System.Text.Json;
using Elixir.Cli.Presets;
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
    private static readonly Option<string> s_gpuMemory = new("--gpu-memory") { Description = "Device memory per rank, e.g. 24GiB, 512MiB, 1.5GB" };
    private static readonly Option<bool> s_offload = new("--offload") { Description = "Keep shards and optimizer state in host memory" };
    private static readonly Option<string> s_optimizer = new Option<string>("--optimizer") { Description = "Optimizer", DefaultValueFactory = _ => "adam" }
        .AcceptOnlyFromAmong("adam", "sgd");
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
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult result)
    {
        var (source, parameters) = LoadParameters(result);
        var options = ReadOptions(result);
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

    private static (string Source, IReadOnlyList<PlanParameter> Parameters) LoadParameters(ParseResult result)
    {
        string? preset = result.GetValue(s_preset);
        string? safetensors = result.GetValue(s_safetensors);
        string? paramsFile = result.GetValue(s_params);
        int given = (preset is null ? 0 : 1) + (safetensors is null ? 0 : 1) + (paramsFile is null ? 0 : 1);
        if (given != 1)
        {
            throw new CliException(ExitCodes.Usage, $"plan needs exactly one of --preset, --safetensors or --params ({given} given).");
        }

        if (preset is not null)
        {
            return ($"preset {preset}", ModelPresets.Get(preset));
        }

        if (safetensors is not null)
        {
            var parameters = ParameterSources.FromSafetensors(SafetensorsHeader.Read(safetensors));
            if (parameters.Count == 0)
            {
                throw new CliException(ExitCodes.BadInput, $"{safetensors}: holds no floating-point tensors to plan.");
            }

            return (safetensors, parameters);
        }

        return (paramsFile!, ParameterSources.FromJsonFile(paramsFile!));
    }

    private static PlannerOptions ReadOptions(ParseResult result)
    {
        int worldSize = result.GetValue(s_worldSize);
        if (worldSize <= 0)
        {
            throw new CliException(ExitCodes.Usage, $"--world-size must be positive, got {worldSize}.");
        }

        string? memory = result.GetValue(s_gpuMemory);
        return new PlannerOptions
        {
            WorldSize = worldSize,
            TrainingType = DTypeOption.Value(result, s_dtype),
            DeviceMemoryBytes = memory is null ? null : ParseMemory(memory),
            Optimizer = result.GetValue(s_optimizer) == "sgd" ? OptimizerKind.Sgd : OptimizerKind.Adam,
            Search = result.GetValue(s_search) == "optimal" ? SearchKind.Optimal : SearchKind.MinimumWaste,
            Prefetch = result.GetValue(s_prefetch),
            Offload = result.GetValue(s_offload),
        };
    }

    private static long ParseMemory(string text)
    {
        try
        {
            return ByteSize.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Usage, $"--gpu-memory: {e.Message}");
        }
    }
}
