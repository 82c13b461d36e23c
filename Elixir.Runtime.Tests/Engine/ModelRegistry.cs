using Elixir.Engine;

namespace Elixir.Runtime.Tests.Engine;

/// <summary>
/// Remembers the sample model each rank built its definition from, so a rank's body gets back the model that
/// drives its own engine's layout instances.
/// </summary>
internal static class ModelRegistry<TModel> where TModel : class
{
    private static readonly Dictionary<ModelDefinition, TModel> Models = new(ReferenceEqualityComparer.Instance);

    public static ModelDefinition Register(TModel model, ModelDefinition definition)
    {
        lock (Models)
        {
            Models[definition] = model;
        }

        return definition;
    }

    public static TModel Of(ModelDefinition definition)
    {
        lock (Models)
        {
            return Models.Remove(definition, out var model) ? model : throw new InvalidOperationException("No model registered for the definition.");
        }
    }
}
