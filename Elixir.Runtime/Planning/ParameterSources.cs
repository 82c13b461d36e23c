using System.Text.Json;
using Elixir.Layout;
using Elixir.Safetensors;

namespace Elixir.Planning;

/// <summary>Builds the planner's parameter list from generated layouts, a JSON list or a safetensors header.</summary>
public static class ParameterSources
{
    /// <summary>
    /// One parameter per tensor of each layout instance, named <c>module.tensor</c> and used by that module;
    /// tensors declared <c>MultiUse</c> become fused parameters.
    /// </summary>
    /// <param name="instances">Each layout instance's module name and table, in execution order.</param>
    public static IReadOnlyList<PlanParameter> FromLayouts(IEnumerable<(string Module, LayoutTable Table)> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var result = new List<PlanParameter>();
        foreach (var (module, table) in instances)
        {
            foreach (ref readonly var slot in table.Slots)
            {
                result.Add(new PlanParameter($"{module}.{slot.Name}", slot.Shape, [module], slot.MultiUse));
            }
        }

        return result;
    }

    /// <summary>
    /// The tensors of a safetensors header in data order (the order they were written), each used by the module its
    /// name names (up to the last dot). Tensors of integer or boolean type are buffers, not parameters, and are skipped.
    /// </summary>
    public static IReadOnlyList<PlanParameter> FromSafetensors(SafetensorsHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Tensors
            .Where(t => t.DType.StartsWith('F') || t.DType == "BF16")
            .OrderBy(t => t.DataStart)
            .Select(t => new PlanParameter(t.Name, t.Shape.Count == 0 ? [1] : t.Shape, [PlanParameter.DefaultModule(t.Name)]))
            .ToArray();
    }

    /// <summary>Reads a JSON parameter list from <paramref name="path"/> (see <see cref="ParseJson"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not such a list.</exception>
    public static IReadOnlyList<PlanParameter> FromJsonFile(string path) => ParseJson(File.ReadAllBytes(path), path);

    /// <summary>
    /// Parses <c>[{"name": "...", "shape": [...], "modules": ["..."]}, ...]</c>; <c>modules</c> is optional and
    /// defaults to the name up to its last dot.
    /// </summary>
    /// <param name="json">The UTF-8 text.</param>
    /// <param name="source">The file or other origin, named in error messages.</param>
    /// <exception cref="InvalidDataException">The text is not such a list.</exception>
    public static IReadOnlyList<PlanParameter> ParseJson(ReadOnlySpan<byte> json, string source)
    {
        var result = new List<PlanParameter>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Expect(ref reader, JsonTokenType.StartArray, source, "the parameter list");
            while (Next(ref reader, source) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Error(source, ref reader, $"parameter {result.Count} should be an object but is {reader.TokenType}");
                }

                result.Add(ReadParameter(ref reader, source, result.Count));
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader finds invalid UTF-8 only when a string is decoded.
            throw new InvalidDataException($"{source}: parameter {result.Count} holds text that is not valid UTF-8.", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal))}", e);
        }

        return result;
    }

    private static PlanParameter ReadParameter(ref Utf8JsonReader reader, string source, int index)
    {
        string? name = null;
        List<long>? shape = null;
        List<string>? modules = null;
        while (Next(ref reader, source) != JsonTokenType.EndObject)
        {
            string field = reader.GetString()!;
            switch (field)
            {
                case "name":
                    Expect(ref reader, JsonTokenType.String, source, $"parameter {index} name");
                    name = reader.GetString();
                    break;
                case "shape":
                    Expect(ref reader, JsonTokenType.StartArray, source, $"parameter {index} shape");
                    shape = [];
                    while (Next(ref reader, source) != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long d) || d <= 0)
                        {
                            throw Error(source, ref reader, $"parameter {index} shape holds a value that is not a positive integer");
                        }

                        shape.Add(d);
                    }

                    break;
                case "modules":
                    Expect(ref reader, JsonTokenType.StartArray, source, $"parameter {index} modules");
                    modules = [];
                    while (Next(ref reader, source) != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            throw Error(source, ref reader, $"parameter {index} modules holds a {reader.TokenType}, not a module name");
                        }

                        modules.Add(reader.GetString()!);
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (string.IsNullOrEmpty(name) || shape is null)
        {
            throw new InvalidDataException($"{source}: parameter {index} needs a \"name\" and a \"shape\".");
        }

        if (modules is { Count: 0 })
        {
            throw new InvalidDataException($"{source}: parameter '{name}' has an empty \"modules\" list.");
        }

        return new PlanParameter(name, shape, modules ?? [PlanParameter.DefaultModule(name)]);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string source)
    {
        if (!reader.Read())
        {
            throw new InvalidDataException($"{source}: the JSON ends early at byte {reader.BytesConsumed}.");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string source, string what)
    {
        if (Next(ref reader, source) != type)
        {
            throw Error(source, ref reader, $"{what} should be {type} but is {reader.TokenType}");
        }
    }

    private static InvalidDataException Error(string source, ref Utf8JsonReader reader, string message) =>
        new($"{source}: {message} (byte {reader.TokenStartIndex}).");
}
