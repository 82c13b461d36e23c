namespace Elixir.Optim;

/// <summary>A named set of tensors, chosen by <paramref name="Selector"/>, that shares hyper-parameters.</summary>
/// <typeparam name="THyperParameters"><see cref="AdamHyperParameters"/> or <see cref="SgdHyperParameters"/>.</typeparam>
/// <param name="Name">The group's name, used in error messages and checkpoints.</param>
/// <param name="Selector">Picks the group's tensors.</param>
/// <param name="HyperParameters">The group's hyper-parameters.</param>
public sealed record ParameterGroup<THyperParameters>(string Name, TensorSelector Selector, THyperParameters HyperParameters)
    where THyperParameters : class;
