using System.CommandLine;
using Elixir.Numerics;

namespace Elixir.Cli.Commands;

/// <summary>The <c>--dtype fp32|fp16|bf16</c> option the commands share, and its value as a <see cref="DType"/>.</summary>
internal static class DTypeOption
{
    /// <summary>Creates the option with <paramref name="description"/>; the default is fp32.</summary>
    public static Option<string> Create(string description) =>
        new Option<string>("--dtype") { Description = description, DefaultValueFactory = _ => "fp32" }
            .AcceptOnlyFromAmong("fp32", "fp16", "bf16");

    /// <summary>The type the parsed option names.</summary>
    public static DType Value(ParseResult result, Option<string> option) => result.GetValue(option) switch
    {
        "fp16" => DType.Float16,
        "bf16" => DType.BFloat16,
        _ => DType.Float32,
    };
}
