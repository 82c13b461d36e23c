using Elixir.Fetching;
using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Engine;

/// <summary>
/// The engine's scratch on the device: the fp32 staging copies of tensors declared fp32 over 16-bit chunks, the
/// gradient buffers backward scopes bind (one scratch area reused by every module, plus a persistent slot for
/// each tensor used by several modules or declared multi-use, whose gradient accumulates across the pass), and
/// where each module's tensors sit in them. Every slice is cut at construction, so a step allocates nothing.
/// It binds and unbinds the views of a scope over them.
/// </summary>
internal sealed class GradientBuffers : IDisposable
{
    private const long Align = 64;

    private readonly ModelState _model;
    private readonly ParameterChunks _parameters;
    private readonly IMemoryBackend _backend;
    private readonly IKernels _kernels;
    private readonly DType _parameterType;
    private readonly NativeBuffer _staging;
    private readonly NativeBuffer _gradientScratch;
    private readonly NativeBuffer _persistentGradients;
    private readonly BufferSlice[][] _stagingOf;   // [module][tensor in module]; empty when not staged
    private readonly BufferSlice[][] _gradientOf;  // [module][tensor in module]
    private readonly bool[][] _persistent;         // [module][tensor in module]

    public GradientBuffers(ModelState model, ParameterChunks parameters, IMemoryBackend backend, IKernels kernels, DType parameterType)
    {
        _model = model;
        _parameters = parameters;
        _backend = backend;
        _kernels = kernels;
        _parameterType = parameterType;
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

    /// <summary>
    /// Casts the staged tensors of <paramref name="module"/> (declared fp32 over 16-bit chunks) from their gathered
    /// chunk slices into their staging copies and binds their views there.
    /// </summary>
    public void Stage(ModuleState module)
    {
        var staging = _stagingOf[module.Module.Index];
        for (int i = 0; i < module.Tensors.Length; i++)
        {
            var (instance, t) = module.Module.Tensors[i];
            if (instance.Staged[t])
            {
                _kernels.Cast(StorageSlice(module.Tensors[i]), _parameterType, staging[i], DType.Float32);
                instance.ParameterBinding.SetAddress(t, staging[i].Address);
            }
        }
    }

    /// <summary>
    /// Binds the gradient views of <paramref name="module"/>'s backward scope, zeroing each buffer unless it is
    /// persistent and already used in this pass (<paramref name="passes"/> counts the use and tells).
    /// </summary>
    public void BindGradients(ModuleState module, PassTracker passes)
    {
        int m = module.Module.Index;
        for (int i = 0; i < module.Tensors.Length; i++)
        {
            var (instance, t) = module.Module.Tensors[i];
            var gradient = _gradientOf[m][i];
            if (passes.UseBackward(module.Tensors[i]) || !_persistent[m][i])
            {
                _backend.Fill(gradient, 0);
            }

            instance.GradientBinding.SetAddress(t, gradient.Address);
        }
    }

    /// <summary>
    /// Stores the gradients of <paramref name="module"/>'s tensors whose last backward use of the pass this was:
    /// multiplied by the loss scale, then written into their chunks through the fetcher,
    /// which reduce-scatters each chunk whose gradients are complete. True when the last chunk was reduced.
    /// </summary>
    public bool Store(ModuleState module, PassTracker passes, ChunkFetcher fetcher, float lossScale)
    {
        bool passDone = false;
        for (int i = 0; i < module.Tensors.Length; i++)
        {
            int tensor = module.Tensors[i];
            if (!passes.GradientComplete(tensor))
            {
                continue;
            }

            var gradient = _gradientOf[module.Module.Index][i];
            if (lossScale != 1f)
            {
                _kernels.Scale(gradient, DType.Float32, lossScale);
            }

            if (fetcher.StoreGradient(_model.Handles[tensor], gradient, DType.Float32))
            {
                passDone = passes.ChunkReduced();
            }
        }

        return passDone;
    }

    /// <summary>Unbinds the staged parameter views and the gradient views of a closing scope.</summary>
    public static void Unbind(ComputeModule module)
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

    /// <summary>Frees the three buffers.</summary>
    public void Dispose()
    {
        _staging.Dispose();
        _gradientScratch.Dispose();
        _persistentGradients.Dispose();
    }

    private BufferSlice StorageSlice(int tensor)
    {
        var handle = _model.Handles[tensor];
        var chunk = _parameters.Chunks[handle.Chunk];
        var slot = chunk.Tensors[handle.Tensor];
        int size = _parameterType.SizeOf();
        return chunk.Block!.Payload.Slice(slot.Offset * size, slot.ElementCount * size);
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;
}
