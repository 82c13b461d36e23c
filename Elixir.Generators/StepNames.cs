namespace Elixir.Generators;

/// <summary>Names of the tracked pipeline steps, so incremental tests can assert per-step run reasons.</summary>
public static class StepNames
{
    /// <summary>Turning each attributed struct into a spec and its diagnostics.</summary>
    public const string Parse = "Parse";

    /// <summary>The valid layout specs.</summary>
    public const string Layouts = "Layouts";

    /// <summary>Placeholder implementations for rejected layouts.</summary>
    public const string Stubs = "Stubs";

    /// <summary>The diagnostics, one per item.</summary>
    public const string Diagnostics = "Diagnostics";
}
