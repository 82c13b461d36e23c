using Elixir.Chunks;
using Elixir.Fetching;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Scheduling;

namespace Elixir.Engine;

public sealed partial class TrainingEngine
{
    private enum Pass : byte
    {
        Idle,
        Forward,
        Backward,
    }

    private Pass _pass;
    private ComputeModule? _open;
    private bool _openBackward;
    private int _reducedChunks;
    private int _stepInPass;

    /// <summary>
    /// Opens the forward computation of <paramref name="module"/>: gathers its chunks and binds its parameters'
    /// views. The first forward scope of a pass starts the pass. A module runs forward once per pass unless all its
    /// tensors are multi-use.
    /// </summary>
    /// <exception cref="EngineUsageException">Another scope is open, the backward pass has begun, or the module already ran.</exception>
    public ComputeScope Forward(ComputeModule module)
    {
        RequireModule(module);
        RequireNoOpenScope(module, "forward");
        if (_pass == Pass.Backward)
        {
            throw new EngineUsageException(
                $"Forward of module '{module.Name}' during the backward pass; finish the backward pass (every module's gradients) first.");
        }

        if (_pass == Pass.Idle)
        {
            StartPass();
        }
        else if (module.ForwardRuns > 0 && !module.AllMultiUse)
        {
            var single = module.Tensors.Where(t => !t.Instance.Table[t.Index].MultiUse).Select(t => $"'{t.FullName}'").Take(3);
            throw new EngineUsageException(
                $"Module '{module.Name}' already ran forward in this pass; running it again needs every tensor declared multi-use, " +
                $"and {string.Join(", ", single)} are not.");
        }

        CheckProfiledStep(module);
        Gather(module, ComputePhase.Forward);
        module.ForwardRuns++;
        foreach (var (instance, t) in module.Tensors)
        {
            instance.ForwardUses[t]++;
        }

        _open = module;
        _openBackward = false;
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
        RequireModule(module);
        RequireNoOpenScope(module, "backward");
        if (_pass == Pass.Idle)
        {
            throw new EngineUsageException($"Backward of module '{module.Name}' without a forward pass.");
        }

        if (module.BackwardRuns >= module.ForwardRuns)
        {
            throw new EngineUsageException(
                $"Backward of module '{module.Name}': it ran forward {module.ForwardRuns} times in this pass and backward {module.BackwardRuns} times already.");
        }

        CheckProfiledStep(module);
        Gather(module, ComputePhase.Backward);
        _pass = Pass.Backward;
        module.BackwardRuns++;
        for (int i = 0; i < module.Tensors.Length; i++)
        {
            var (instance, t) = module.Tensors[i];
            var gradient = GradientSlice(module, i);
            if (module.GradientOffsets[i] >= 0 || instance.BackwardUses[t] == 0)
            {
                _backend.Fill(gradient, 0);
            }

            instance.BackwardUses[t]++;
            instance.GradientBinding.SetAddress(t, gradient.Address);
        }

        _open = module;
        _openBackward = true;
        return new ComputeScope(this, module, backward: true);
    }

    /// <summary>
    /// Ends a forward-only (inference) pass: scatters every gathered chunk back to its shard. The next forward
    /// scope starts a new pass.
    /// </summary>
    /// <exception cref="EngineUsageException">A scope is open or the backward pass has begun.</exception>
    public void FinishInference()
    {
        if (_open is not null)
        {
            throw new EngineUsageException($"FinishInference while the {(_openBackward ? "backward" : "forward")} scope of module '{_open.Name}' is open.");
        }

        if (_pass == Pass.Backward)
        {
            throw new EngineUsageException("FinishInference during a backward pass; finish the backward pass first.");
        }

        if (_pass == Pass.Forward)
        {
            _fetcher.ReleaseAll();
            _profile?.Clear();
            _pass = Pass.Idle;
        }
    }

    internal void EndScope(ComputeModule module, bool backward)
    {
        if (!ReferenceEquals(_open, module) || _openBackward != backward)
        {
            throw new EngineUsageException(
                $"The {(backward ? "backward" : "forward")} scope of module '{module.Name}' is not the open one " +
                $"({(_open is null ? "no scope is open" : $"the open one is the {(_openBackward ? "backward" : "forward")} scope of '{_open.Name}'")}); was it disposed twice?");
        }

        _fetcher.ToHold(module.Group, backward ? ComputePhase.Backward : ComputePhase.Forward);
        UnbindStaged(module);
        _open = null;
        if (backward)
        {
            StoreGradients(module);
        }
    }

    private void StartPass()
    {
        _fetcher.Reset();
        var instances = Model.Instances;
        for (int i = 0; i < instances.Count; i++)
        {
            Array.Clear(instances[i].ForwardUses);
            Array.Clear(instances[i].BackwardUses);
        }

        var modules = Model.Modules;
        for (int m = 0; m < modules.Count; m++)
        {
            modules[m].ForwardRuns = 0;
            modules[m].BackwardRuns = 0;
        }

        _reducedChunks = 0;
        _stepInPass = 0;
        _pass = Pass.Forward;
    }

    private void Gather(ComputeModule module, ComputePhase phase)
    {
        _fetcher.ToCompute(module.Group);
        try
        {
            _fetcher.Fetch(module.Group);
        }
        catch
        {
            _fetcher.ToHold(module.Group, phase == ComputePhase.Backward && module.BackwardRuns > 0 ? ComputePhase.Backward : ComputePhase.Forward);
            throw;
        }

        _profile?.Add(module.Index);
        _stepInPass++;
        for (int i = 0; i < module.Tensors.Length; i++)
        {
            var (instance, t) = module.Tensors[i];
            if (!instance.Staged[t])
            {
                continue;
            }

            var staging = _staging.Slice(module.StagingOffsets[i], instance.Table[t].ElementCount * sizeof(float));
            _kernels.Cast(StorageSlice(instance, t), _options.ParameterType, staging, DType.Float32);
            instance.ParameterBinding.SetAddress(t, staging.Address);
        }
    }

    private void UnbindStaged(ComputeModule module)
    {
        foreach (var (instance, t) in module.Tensors)
        {
            if (instance.Staged[t])
            {
                instance.ParameterBinding.SetAddress(t, 0);
            }

            instance.GradientBinding.SetAddress(t, 0);
        }
    }

    private void StoreGradients(ComputeModule module)
    {
        float scale = LossScale;
        for (int i = 0; i < module.Tensors.Length; i++)
        {
            var (instance, t) = module.Tensors[i];
            if (instance.BackwardUses[t] != instance.ForwardUses[t])
            {
                continue;
            }

            var gradient = GradientSlice(module, i);
            if (scale != 1f)
            {
                _kernels.Scale(gradient, DType.Float32, scale);
            }

            var handle = instance.Handles[t];
            _chunks[handle.Chunk].WriteGradient(handle.Tensor, gradient, DType.Float32);
            if (_fetcher.GradientReady(handle))
            {
                _reducedChunks++;
            }
        }

        if (_reducedChunks == _chunks.Length)
        {
            EndPass();
        }
    }

    private void EndPass()
    {
        _fetcher.Clear();
        _pass = Pass.Idle;
        if (_profile is not null)
        {
            StartPrefetching();
        }

        if (_options.AccumulationSteps > 1)
        {
            AccumulateGradients();
        }

        MicroBatches++;
    }

    private void StartPrefetching()
    {
        var steps = _profile!.Select(m => Model.Modules[m].Group.Chunks.ToArray()).ToArray();
        var fetcher = CreateFetcher(new PrefetchScheduler(_chunks.Length, steps), overlap: true);
        _retiredGathers += _fetcher.Gathers;
        _retiredEvictions += _fetcher.Evictions;
        _retiredReduces += _fetcher.Reduces;
        _fetcher.Dispose();
        _fetcher = fetcher;
        _profiledSteps = [.. _profile!];
        _profile = null;
    }

    private void CheckProfiledStep(ComputeModule module)
    {
        if (_profiledSteps is { } steps && (_stepInPass >= steps.Length || steps[_stepInPass] != module.Index))
        {
            string expected = _stepInPass < steps.Length ? $"module '{Model.Modules[steps[_stepInPass]].Name}'" : "the end of the pass";
            throw new EngineUsageException(
                $"Step {_stepInPass} of the pass runs module '{module.Name}' but the profiled order (first pass, used for prefetch) has {expected} there; " +
                "with prefetch on, every pass must run the modules in the same order.");
        }
    }

    private BufferSlice GradientSlice(ComputeModule module, int i)
    {
        var (instance, t) = module.Tensors[i];
        long bytes = instance.Table[t].ElementCount * sizeof(float);
        long persistent = instance.PersistentGradientOffsets[t];
        return persistent >= 0 ? _persistentGradients.Slice(persistent, bytes) : _gradientScratch.Slice(module.GradientOffsets[i], bytes);
    }

    private BufferSlice StorageSlice(LayoutInstance instance, int t)
    {
        var handle = instance.Handles[t];
        var chunk = _chunks[handle.Chunk];
        var tensor = chunk.Tensors[handle.Tensor];
        int size = _options.ParameterType.SizeOf();
        return chunk.Block!.Payload.Slice(tensor.Offset * size, tensor.ElementCount * size);
    }

    private void RequireModule(ComputeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (module.Index >= Model.Modules.Count || !ReferenceEquals(Model.Modules[module.Index], module))
        {
            throw new ArgumentException($"Module '{module.Name}' belongs to another model definition.", nameof(module));
        }
    }

    private void RequireNoOpenScope(ComputeModule module, string kind)
    {
        if (_open is not null)
        {
            throw new EngineUsageException(
                $"Cannot open the {kind} scope of module '{module.Name}': the {(_openBackward ? "backward" : "forward")} scope of module '{_open.Name}' is still open; dispose it first.");
        }
    }
}
