namespace Elixir.Engine;

/// <summary>
/// The state machine of passes: which pass is on (idle, forward, backward), which scope is open, how often each
/// module ran and each tensor was used in the pass, how many chunks were reduced, and the module order of the
/// first pass (profiled for prefetch) that later passes must follow. It checks every call before the engine
/// changes anything, so a refused call leaves the engine as it was.
/// </summary>
internal sealed class PassTracker
{
    private readonly ModelState _model;
    private readonly int _chunkCount;
    private readonly int[] _forwardUses;   // by tensor number, in the current pass
    private readonly int[] _backwardUses;
    private Pass _pass;
    private ModuleState? _open;
    private bool _openBackward;
    private int _reducedChunks;
    private int _stepInPass;
    private List<int>? _profile;
    private int[]? _profiledSteps;

    public PassTracker(ModelState model, int chunkCount, bool profile)
    {
        _model = model;
        _chunkCount = chunkCount;
        _forwardUses = new int[model.TensorCount];
        _backwardUses = new int[model.TensorCount];
        _profile = profile ? [] : null;
    }

    private enum Pass : byte
    {
        Idle,
        Forward,
        Backward,
    }

    /// <summary>True between passes with no scope open.</summary>
    public bool IsIdle => _open is null && _pass == Pass.Idle;

    /// <summary>Checks that <paramref name="module"/> may open forward; true when it starts a pass.</summary>
    public bool CheckForward(ModuleState module)
    {
        RequireNoOpenScope(module, "forward");
        if (_pass == Pass.Backward)
        {
            throw new EngineUsageException(
                $"Forward of module '{module.Module.Name}' during the backward pass; finish the backward pass (every module's gradients) first.");
        }

        if (_pass == Pass.Idle)
        {
            return true;
        }

        if (module.ForwardRuns > 0 && !module.Module.AllMultiUse)
        {
            var single = module.Module.Tensors.Where(t => !t.Instance.Table[t.Index].MultiUse).Select(t => $"'{t.FullName}'").Take(3);
            throw new EngineUsageException(
                $"Module '{module.Module.Name}' already ran forward in this pass; running it again needs every tensor declared multi-use, " +
                $"and {string.Join(", ", single)} are not.");
        }

        return false;
    }

    /// <summary>Checks that <paramref name="module"/> may open backward.</summary>
    public void CheckBackward(ModuleState module)
    {
        RequireNoOpenScope(module, "backward");
        if (_pass == Pass.Idle)
        {
            throw new EngineUsageException($"Backward of module '{module.Module.Name}' without a forward pass.");
        }

        if (module.BackwardRuns >= module.ForwardRuns)
        {
            throw new EngineUsageException(
                $"Backward of module '{module.Module.Name}': it ran forward {module.ForwardRuns} times in this pass and backward {module.BackwardRuns} times already.");
        }
    }

    /// <summary>Starts a pass: every count back to zero.</summary>
    public void StartPass()
    {
        Array.Clear(_forwardUses);
        Array.Clear(_backwardUses);
        foreach (var module in _model.Modules)
        {
            module.ForwardRuns = 0;
            module.BackwardRuns = 0;
        }

        _reducedChunks = 0;
        _stepInPass = 0;
        _pass = Pass.Forward;
    }

    /// <summary>With prefetch on and the profile taken, checks that <paramref name="module"/> is the profiled next step.</summary>
    public void CheckProfiledStep(ModuleState module)
    {
        if (_profiledSteps is { } steps && (_stepInPass >= steps.Length || steps[_stepInPass] != module.Module.Index))
        {
            string expected = _stepInPass < steps.Length ? $"module '{_model.Modules[steps[_stepInPass]].Module.Name}'" : "the end of the pass";
            throw new EngineUsageException(
                $"Step {_stepInPass} of the pass runs module '{module.Module.Name}' but the profiled order (first pass, used for prefetch) has {expected} there; " +
                "with prefetch on, every pass must run the modules in the same order.");
        }
    }

    /// <summary>Records that <paramref name="module"/>'s chunks are gathered for the next step of the pass.</summary>
    public void Gathered(ModuleState module)
    {
        _profile?.Add(module.Module.Index);
        _stepInPass++;
    }

    /// <summary>Opens the forward scope of <paramref name="module"/>.</summary>
    public void OpenForward(ModuleState module)
    {
        module.ForwardRuns++;
        foreach (int tensor in module.Tensors)
        {
            _forwardUses[tensor]++;
        }

        _open = module;
        _openBackward = false;
    }

    /// <summary>Opens the backward scope of <paramref name="module"/>; the caller counts each tensor's use with <see cref="UseBackward"/>.</summary>
    public void OpenBackward(ModuleState module)
    {
        _pass = Pass.Backward;
        module.BackwardRuns++;
        _open = module;
        _openBackward = true;
    }

    /// <summary>Counts a backward use of <paramref name="tensor"/>; true when it is the tensor's first in the pass.</summary>
    public bool UseBackward(int tensor) => _backwardUses[tensor]++ == 0;

    /// <summary>True when <paramref name="tensor"/> went back through every forward use of the pass.</summary>
    public bool GradientComplete(int tensor) => _backwardUses[tensor] == _forwardUses[tensor];

    /// <summary>Closes the open scope, which must be <paramref name="module"/>'s of the given direction.</summary>
    public ModuleState Close(ComputeModule module, bool backward)
    {
        if (_open is null || !ReferenceEquals(_open.Module, module) || _openBackward != backward)
        {
            throw new EngineUsageException(
                $"The {(backward ? "backward" : "forward")} scope of module '{module.Name}' is not the open one " +
                $"({(_open is null ? "no scope is open" : $"the open one is the {(_openBackward ? "backward" : "forward")} scope of '{_open.Module.Name}'")}); was it disposed twice?");
        }

        var closed = _open;
        _open = null;
        return closed;
    }

    /// <summary>Counts a reduced chunk; true when it was the last, which ends the pass.</summary>
    public bool ChunkReduced() => ++_reducedChunks == _chunkCount;

    /// <summary>
    /// Ends a training pass. Returns the module order of the first pass when prefetch should start now (the
    /// order is kept to check later passes), otherwise null.
    /// </summary>
    public int[]? EndPass()
    {
        _pass = Pass.Idle;
        if (_profile is null)
        {
            return null;
        }

        _profiledSteps = [.. _profile];
        _profile = null;
        return _profiledSteps;
    }

    /// <summary>Checks that an inference pass may end; true when a forward pass is on (its chunks need scattering).</summary>
    public bool CheckFinishInference()
    {
        if (_open is not null)
        {
            throw new EngineUsageException($"FinishInference while the {(_openBackward ? "backward" : "forward")} scope of module '{_open.Module.Name}' is open.");
        }

        if (_pass == Pass.Backward)
        {
            throw new EngineUsageException("FinishInference during a backward pass; finish the backward pass first.");
        }

        return _pass == Pass.Forward;
    }

    /// <summary>Ends a forward-only pass; the profile, if one is being taken, starts again with the next pass.</summary>
    public void EndInference()
    {
        _profile?.Clear();
        _pass = Pass.Idle;
    }

    /// <summary>Checks that no pass is unfinished before an optimizer step.</summary>
    public void RequireStepReady()
    {
        if (_open is not null)
        {
            throw new EngineUsageException($"Step while the {(_openBackward ? "backward" : "forward")} scope of module '{_open.Module.Name}' is open.");
        }

        if (_pass != Pass.Idle)
        {
            var waiting = Enumerable.Range(0, _model.TensorCount)
                .Where(t => _backwardUses[t] < _forwardUses[t] || _forwardUses[t] == 0)
                .Select(t => _model.InstanceOf(t).FullNames[_model.IndexOf(t)])
                .Take(3);
            throw new EngineUsageException(
                $"Step before the pass finished: {_reducedChunks} of {_chunkCount} chunks are reduced; tensors without a gradient include {string.Join(", ", waiting)}.");
        }
    }

    /// <summary>Checks that <paramref name="operation"/> runs between passes.</summary>
    public void RequireIdle(string operation)
    {
        if (!IsIdle)
        {
            throw new EngineUsageException($"{operation} during a pass; call it between passes.");
        }
    }

    private void RequireNoOpenScope(ModuleState module, string kind)
    {
        if (_open is not null)
        {
            throw new EngineUsageException(
                $"Cannot open the {kind} scope of module '{module.Module.Name}': the {(_openBackward ? "backward" : "forward")} scope of module '{_open.Module.Name}' is still open; dispose it first.");
        }
    }
}
