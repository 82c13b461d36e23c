using Elixir.Memory;

namespace Elixir.Engine;

/// <summary>
/// The engine's scratch on the device: the fp32 staging copies of tensors declared fp32 over 16-bit chunks, the
/// gradient buffers backward scopes bind (one scratch area reused by every module, plus a persistent slot for
/// each tensor used by several modules or declared multi-use, whose gradient accumulates across the pass), and
/// where each module's tensors sit in them. Every slice is cut at construction, so a step allocates nothing.
/// </summary>
internal sealed class GradientBuffers : IDisposable
{
    private const long Align = 64;

    private readonly NativeBuffer _staging;
    private readonly NativeBuffer _gradientScratch;
    private readonly NativeBuffer _persistentGradients;
    private readonly BufferSlice[][] _stagingOf;   // [module][tensor in module]; empty when not staged
    private readonly BufferSlice[][] _gradientOf;  // [module][tensor in module]
    private readonly bool[][] _persistent;         // [module][tensor in module]

    public GradientBuffers(ModelState model, IMemoryBackend backend)
    {
        var persistentOffsets = new long[model.TensorCount];
        long persistent = 0;
        for (int n = 0; n < model.TensorCount; n++)
        {
            var instance = model.InstanceOf(n);
            int t = model.IndexOf(n);
            persistentOffsets[n] = -1;
            if (instance.Modules[t].Count > 1 || instance.Table[t].MultiUse)
            {
                persistentOffsets[n] = persistent;
                persistent += RoundUp(instance.Table[t].ElementCount * sizeof(float), Align);
            }
        }

        int moduleCount = model.Modules.Length;
        var stagingOffsets = new long[moduleCount][];
        var gradientOffsets = new long[moduleCount][];
        long staging = 0;
        long gradients = 0;
        for (int m = 0; m < moduleCount; m++)
        {
            var module = model.Modules[m];
            stagingOffsets[m] = new long[module.Tensors.Length];
            gradientOffsets[m] = new long[module.Tensors.Length];
            long stagingUsed = 0;
            long gradientUsed = 0;
            for (int i = 0; i < module.Tensors.Length; i++)
            {
                var (instance, t) = module.Module.Tensors[i];
                long bytes = RoundUp(instance.Table[t].ElementCount * sizeof(float), Align);
                stagingOffsets[m][i] = instance.Staged[t] ? stagingUsed : -1;
                stagingUsed += instance.Staged[t] ? bytes : 0;
                bool shared = persistentOffsets[module.Tensors[i]] >= 0;
                gradientOffsets[m][i] = shared ? -1 : gradientUsed;
                gradientUsed += shared ? 0 : bytes;
            }

            staging = Math.Max(staging, stagingUsed);
            gradients = Math.Max(gradients, gradientUsed);
        }

        _staging = backend.Allocate(Math.Max(staging, Align), MemoryLocation.Device);
        try
        {
            _gradientScratch = backend.Allocate(Math.Max(gradients, Align), MemoryLocation.Device);
            _persistentGradients = backend.Allocate(Math.Max(persistent, Align), MemoryLocation.Device);
        }
        catch
        {
            _gradientScratch?.Dispose();
            _staging.Dispose();
            throw;
        }

        _stagingOf = new BufferSlice[moduleCount][];
        _gradientOf = new BufferSlice[moduleCount][];
        _persistent = new bool[moduleCount][];
        for (int m = 0; m < moduleCount; m++)
        {
            var module = model.Modules[m];
            _stagingOf[m] = new BufferSlice[module.Tensors.Length];
            _gradientOf[m] = new BufferSlice[module.Tensors.Length];
            _persistent[m] = new bool[module.Tensors.Length];
            for (int i = 0; i < module.Tensors.Length; i++)
            {
                var (instance, t) = module.Module.Tensors[i];
                long bytes = instance.Table[t].ElementCount * sizeof(float);
                long shared = persistentOffsets[module.Tensors[i]];
                _persistent[m][i] = shared >= 0;
                _gradientOf[m][i] = shared >= 0 ? _persistentGradients.Slice(shared, bytes) : _gradientScratch.Slice(gradientOffsets[m][i], bytes);
                if (stagingOffsets[m][i] >= 0)
                {
                    _stagingOf[m][i] = _staging.Slice(stagingOffsets[m][i], bytes);
                }
            }
        }
    }

    /// <summary>The fp32 gradient buffer of tensor <paramref name="i"/> of <paramref name="module"/>.</summary>
    public BufferSlice Gradient(ModuleState module, int i) => _gradientOf[module.Module.Index][i];

    /// <summary>True when tensor <paramref name="i"/>'s gradient is persistent: it accumulates over the pass instead of starting at zero each scope.</summary>
    public bool IsPersistent(ModuleState module, int i) => _persistent[module.Module.Index][i];

    /// <summary>The fp32 staging copy of tensor <paramref name="i"/> of <paramref name="module"/>, which must be staged.</summary>
    public BufferSlice Staging(ModuleState module, int i) => _stagingOf[module.Module.Index][i];

    /// <summary>Frees the three buffers.</summary>
    public void Dispose()
    {
        _staging.Dispose();
        _gradientScratch.Dispose();
        _persistentGradients.Dispose();
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;
}
