using Elixir.Checkpoints;
using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Fetching;
using Elixir.Kernels;
using Elixir.Kernels.Host;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Planning;

namespace Elixir.Engine;

/// <summary>
/// Trains the parameters of a <see cref="ModelDefinition"/> on one rank: builds the parameter chunks from a plan,
/// pairs each with an fp32 master chunk and optimizer state, gathers chunks for compute scopes, reduce-scatters
/// gradients as they complete, and updates the shards with Adam, AdamW or SGD under dynamic loss scaling and
/// global-norm clipping. Every rank builds its own engine over the same definition and plan; after warm-up a
/// training step allocates nothing.
/// </summary>
/// <remarks>
/// A pass runs each module forward (<see cref="Forward"/>), then each backward in reverse
/// (<see cref="Backward"/>); after <see cref="EngineOptions.AccumulationSteps"/> passes, <see cref="Step"/>
/// updates the parameters. Not thread-safe: an engine belongs to one rank. The engine only wires its
/// collaborators: the parameter chunks (plan to chunks and masters), the pass tracker (pass state machine), the
/// gradient buffers (staging and gradient scratch), the fetcher (gathers, scatters, reduces), the shard
/// optimizer and the checkpoints.
/// </remarks>
public sealed class TrainingEngine : IDisposable
{
    private readonly IMemoryBackend _backend;
    private readonly ModelState _state;
    private readonly ParameterChunks _parameters;
    private readonly PassTracker _passes;
    private readonly GradientBuffers _gradients;
    private readonly ShardOptimizer _optimizer;
    private readonly EngineCheckpoints _checkpoints;
    private readonly ProfiledFetcher _fetchers;
    private readonly long? _deviceBudget;
    private bool _disposed;

    /// <summary>
    /// Builds the engine for this rank. <paramref name="plan"/> null: the minimum-waste plan for the
    /// communicator's world size and the options. <paramref name="kernels"/> run on the shards and blocks of
    /// <paramref name="backend"/>; offloaded shards on a device backend are updated by the host kernels.
    /// </summary>
    /// <exception cref="ArgumentException">Bad options, a plan for another model or world size, or a model definition misuse.</exception>
    public TrainingEngine(
        ModelDefinition model, ICommunicator communicator, IMemoryBackend backend, IKernels kernels, EngineOptions options, Plan? plan = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (model.IsFrozen)
        {
            throw new ArgumentException("The model definition is already used by another engine; each rank needs its own definition.", nameof(model));
        }

        model.Validate();
        Model = model;
        Communicator = communicator;
        _backend = backend;
        var hostKernels = backend.DeviceMemoryIsHostAddressable ? kernels : new HostKernels();
        Plan = plan ?? ParameterChunks.DefaultPlan(model, options, communicator.WorldSize);
        ParameterChunks.CheckPlan(Plan, model, communicator.WorldSize);
        EngineMemory.CheckPlanOptions(Plan, options, communicator.WorldSize);
        _deviceBudget = options.DeviceMemoryBytes;

        var location = backend.DeviceMemoryIsHostAddressable ? BindingLocation.Host : BindingLocation.Device;
        foreach (var instance in model.Instances)
        {
            instance.PrepareStorage(options.ParameterType, location);
        }

        _state = new ModelState(model);
        var cleanup = new List<IDisposable>();
        try
        {
            EngineMemory.SetDeviceBudget(backend, _deviceBudget, Plan);
            _parameters = Track(cleanup, new ParameterChunks(_state, Plan, options, backend, communicator, kernels, hostKernels));
            _optimizer = Track(cleanup, new ShardOptimizer(
                _parameters.Chunks, _parameters.Masters, _state.SlotOf, options, communicator, backend, kernels, hostKernels));
            _gradients = Track(cleanup, new GradientBuffers(
                _state, _parameters, backend, kernels, options.ParameterType, Plan.Memory.Buffers));
            _fetchers = Track(cleanup, new ProfiledFetcher(_parameters.Group, backend, options.ReduceInFp32));
            foreach (var module in _state.Modules)
            {
                module.Group = _fetchers.Current.CreateGroup(module.Tensors.Select(t => _state.Handles[t]).ToArray());
            }

            _passes = new PassTracker(_state, _parameters.Chunks.Length, profile: options.Prefetch);
            _checkpoints = new EngineCheckpoints(_optimizer, _parameters.Chunks, _state, communicator, backend);
            model.Freeze();
        }
        catch
        {
            for (int i = cleanup.Count - 1; i >= 0; i--)
            {
                cleanup[i].Dispose();
            }

            EngineMemory.ClearDeviceBudget(backend, _deviceBudget);
            throw;
        }
    }

    /// <summary>The model the engine trains.</summary>
    public ModelDefinition Model { get; }

    /// <summary>The plan the chunks were built from.</summary>
    public Plan Plan { get; }

    /// <summary>This rank's communicator.</summary>
    public ICommunicator Communicator { get; }

    /// <summary>The loss scale gradients are multiplied by before they are stored (1 without loss scaling).</summary>
    public float LossScale => _optimizer.LossScale;

    /// <summary>Optimizer updates applied so far.</summary>
    public int StepCount => _optimizer.StepCount;

    /// <summary>Passes (micro-batches) completed since the last optimizer step.</summary>
    public int MicroBatches => _optimizer.MicroBatches;

    /// <summary>The fetcher's counters: chunks gathered, evicted, reduced and prefetch hits so far.</summary>
    public (long Gathers, long Evictions, long Reduces, long PrefetchHits) FetchCounters => _fetchers.Counters;

    /// <summary>The bytes this rank's backend holds now, by location (chunks, rCache, optimizer state, scratch).</summary>
    public (long Device, long Host) MemoryBytes => (_backend.BytesAllocated(MemoryLocation.Device), _backend.BytesAllocated(MemoryLocation.Host));

    /// <summary>
    /// The stream a model's own kernels and products run on: the gathers of an open scope's chunks are ordered before
    /// it, and the reduce of the gradients written in a backward scope after it, so compute queued here needs no sync.
    /// </summary>
    public IStream ComputeStream => _backend.DefaultStream;

    /// <summary>The parameter chunks, in plan order (for diagnostics).</summary>
    public IReadOnlyList<Chunk> Chunks => _parameters.Chunks;

    /// <summary>
    /// Opens the forward computation of <paramref name="module"/>: gathers its chunks and binds its parameters'
    /// views. The first forward scope of a pass starts the pass. A module runs forward once per pass unless all its
    /// tensors are multi-use.
    /// </summary>
    /// <exception cref="EngineUsageException">Another scope is open, the backward pass has begun, or the module already ran.</exception>
    public ComputeScope Forward(ComputeModule module)
    {
        var state = RequireModule(module);
        if (_passes.CheckForward(state))
        {
            _fetchers.Current.Reset();
            _passes.StartPass();
        }

        _passes.CheckProfiledStep(state);
        Gather(state, ComputePhase.Forward);
        _passes.OpenForward(state);
        return new ComputeScope(this, module, backward: false);
    }

    /// <summary>
    /// Opens the backward computation of <paramref name="module"/>: gathers its chunks, binds its parameters' views
    /// and binds its gradients' views to zeroed fp32 buffers for the code to fill. Disposing the scope stores the
    /// gradients and reduce-scatters every chunk whose gradients are complete.
    /// </summary>
    /// <exception cref="EngineUsageException">Another scope is open, or the module has no forward run left to go back through.</exception>
    public ComputeScope Backward(ComputeModule module)
    {
        var state = RequireModule(module);
        _passes.CheckBackward(state);
        _passes.CheckProfiledStep(state);
        Gather(state, ComputePhase.Backward);
        _passes.OpenBackward(state);
        _gradients.BindGradients(state, _passes);
        return new ComputeScope(this, module, backward: true);
    }

    /// <summary>
    /// Ends a forward-only (inference) pass: scatters every gathered chunk back to its shard. The next forward
    /// scope starts a new pass.
    /// </summary>
    /// <exception cref="EngineUsageException">A scope is open or the backward pass has begun.</exception>
    public void FinishInference()
    {
        if (_passes.CheckFinishInference())
        {
            _fetchers.Current.ScatterAll();
            _passes.EndInference();
        }
    }

    /// <summary>
    /// Updates the parameters from the gradients of the last <see cref="EngineOptions.AccumulationSteps"/> passes:
    /// agrees on overflow with every rank (all skip together and the loss scale backs off), takes the global
    /// gradient norm, and runs the optimizer on each rank's fp32 shards with the unscaling, averaging over
    /// micro-batches and clipping folded into one gradient factor. Every rank calls it.
    /// </summary>
    /// <exception cref="EngineUsageException">A pass is unfinished, or fewer or more passes ran than the accumulation steps.</exception>
    public StepResult Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _passes.RequireStepReady();
        _optimizer.RequireStepReady();
        return _optimizer.Step();
    }

    /// <summary>
    /// The fp32 master value of every tensor, whole, by full name; every rank calls it (the shards are
    /// all-gathered) and every rank gets the result.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> GatherParameters()
    {
        RequireIdle(nameof(GatherParameters));
        return _checkpoints.GatherParameters();
    }

    /// <summary>
    /// Saves the fp32 master parameters, the optimizer state, the step count and the loss scaler to
    /// <paramref name="directory"/>: sharded, one safetensors file per rank plus <c>PREFIX.safetensors.index.json</c>
    /// (loadable on any world size), or consolidated, one <c>PREFIX.safetensors</c> written by rank 0 with the
    /// original tensor names and shapes. Every file carries the save's id and step; a sharded save becomes the
    /// checkpoint only once its index is written, after every rank file (see <see cref="ShardedCheckpoint"/>), so an
    /// interrupted save leaves the previous checkpoint as it was. Every rank calls it after a step.
    /// </summary>
    public void SaveCheckpoint(string directory, string prefix, bool consolidated)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        RequireIdle(nameof(SaveCheckpoint));
        _checkpoints.Save(directory, prefix, consolidated);
    }

    /// <summary>
    /// Loads a checkpoint written by <see cref="SaveCheckpoint"/>, consolidated or sharded on any number of ranks.
    /// Names, shapes and types are checked and every byte is read on every rank before anything changes; a
    /// missing, corrupt or mismatched checkpoint throws on every rank and leaves the engine as it was.
    /// </summary>
    public void LoadCheckpoint(string directory, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        RequireIdle(nameof(LoadCheckpoint));
        _checkpoints.Load(directory, prefix);
    }

    /// <summary>
    /// Sets every parameter from the safetensors file <paramref name="path"/>, where each is stored whole under its
    /// external name (<see cref="LayoutInstance.ExternalNames"/>) as F32, F16 or BF16: a consolidated checkpoint or
    /// a Hugging Face <c>save_pretrained</c> file. The step count and optimizer state are left as they are. A missing
    /// tensor, another shape, a non-float dtype or a tensor of the file that is neither a parameter nor
    /// <paramref name="ignorable"/> throws on every rank and changes nothing.
    /// </summary>
    public void LoadParameters(string path, Func<string, bool>? ignorable = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireIdle(nameof(LoadParameters));
        _checkpoints.LoadParameters(path, ignorable ?? (_ => false));
    }

    /// <summary>Frees every chunk, block and buffer of this rank.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _fetchers.Dispose();
        _optimizer.Dispose();
        _gradients.Dispose();
        _parameters.Dispose();
        EngineMemory.ClearDeviceBudget(_backend, _deviceBudget);
    }

    internal void EndScope(ComputeModule module, bool backward)
    {
        var state = _passes.Close(module, backward);
        _fetchers.Current.ToHold(state.Group, backward ? ComputePhase.Backward : ComputePhase.Forward);
        GradientBuffers.Unbind(module);
        if (backward && _gradients.Store(state, _passes, _fetchers.Current, LossScale))
        {
            EndPass();
        }
    }

    private static T Track<T>(List<IDisposable> cleanup, T item) where T : IDisposable
    {
        cleanup.Add(item);
        return item;
    }

    private void Gather(ModuleState state, ComputePhase phase)
    {
        _fetchers.Gather(state, phase);
        _passes.Gathered(state);
        _gradients.Stage(state);
    }

    private void EndPass()
    {
        _fetchers.Current.Clear();
        if (_passes.EndPass() is { } profile)
        {
            _fetchers.StartPrefetching([.. profile.Select(m => _state.Modules[m].Group.Chunks.ToArray())]);
        }

        _optimizer.EndMicroBatch();
    }

    private ModuleState RequireModule(ComputeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (module.Index >= Model.Modules.Count || !ReferenceEquals(Model.Modules[module.Index], module))
        {
            throw new ArgumentException($"Module '{module.Name}' belongs to another model definition.", nameof(module));
        }

        return _state.Modules[module.Index];
    }

    private void RequireIdle(string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _passes.RequireIdle(operation);
    }
}
