using Elixir.Cuda;
using Elixir.Interop;
using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Memory.Cuda;
using Elixir.Numerics;

namespace Elixir.Kernels.Cuda;

/// <summary>
/// The runtime's element-wise kernels on one GPU, from the committed PTX. Calls queue work on the given stream
/// (the backend's default when none); <see cref="HasNonFinite"/> and <see cref="SumOfSquares"/> wait for their
/// result. One instance per device and thread: the small result buffers are reused across calls.
/// </summary>
public sealed unsafe class CudaKernels : IKernels, IDisposable
{
    private const uint BlockSize = 256;

    // Fixed, not derived from the device, so the sum of squares adds in the same order on every GPU.
    private const int SumOfSquaresBlocks = Chunks.ReduceStatistics.PartialSums;

    private readonly CudaMemoryBackend _backend;
    private readonly KernelModule[] _modules;
    private readonly nint _scale, _cast, _nonFinite, _sumOfSquares, _adam, _sgd;
    private readonly NativeBuffer _deviceScratch, _hostScratch;
    private readonly uint _maxGrid;

    /// <summary>Loads the kernels into <paramref name="backend"/>'s device.</summary>
    public CudaKernels(CudaMemoryBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
        _modules = [.. KernelSources.Names.Select(name => new KernelModule(backend.Device, name))];
        _scale = Function("scale");
        _cast = Function("cast");
        _nonFinite = Function("nonfinite");
        _sumOfSquares = Function("sumsq");
        _adam = Function("adam");
        _sgd = Function("sgd");
        _deviceScratch = backend.Allocate(SumOfSquaresBlocks * sizeof(double), MemoryLocation.Device, MemoryCategory.Staging);
        _hostScratch = backend.Allocate(SumOfSquaresBlocks * sizeof(double), MemoryLocation.Host, MemoryCategory.Staging);
        _maxGrid = (uint)backend.Device.MultiprocessorCount * 16;
    }

    /// <inheritdoc/>
    public void Scale(BufferSlice data, DType type, float factor, IStream? stream = null)
    {
        ulong count = Count(data, type, nameof(data));
        nint pointer = data.Address;
        int typeCode = (int)type;
        void** arguments = stackalloc void*[] { &pointer, &typeCode, &factor, &count };
        Launch(_scale, Grid(count), stream, arguments);
    }

    /// <inheritdoc/>
    public void Cast(BufferSlice source, DType sourceType, BufferSlice destination, DType destinationType, IStream? stream = null)
    {
        ulong count = Count(source, sourceType, nameof(source));
        RequireCount(destination, destinationType, count, nameof(destination));
        if (sourceType == destinationType)
        {
            _backend.Copy(destination, source, stream);
            return;
        }

        nint from = source.Address, to = destination.Address;
        int fromType = (int)sourceType, toType = (int)destinationType;
        void** arguments = stackalloc void*[] { &from, &fromType, &to, &toType, &count };
        Launch(_cast, Grid(count), stream, arguments);
    }

    /// <inheritdoc/>
    public bool HasNonFinite(BufferSlice data, DType type, IStream? stream = null)
    {
        ulong count = Count(data, type, nameof(data));
        nint queue = _backend.StreamHandle(stream);
        var flag = (ulong)_deviceScratch.Address;
        _backend.MakeCurrent();
        CudaDriver.cuMemsetD8Async(flag, 0, sizeof(uint), queue).ThrowIfFailed();
        nint pointer = data.Address;
        int typeCode = (int)type;
        void** arguments = stackalloc void*[] { &pointer, &typeCode, &count, &flag };
        Launch(_nonFinite, Grid(count), stream, arguments);
        CudaDriver.cuMemcpyDtoHAsync(_hostScratch.Address, flag, sizeof(uint), queue).ThrowIfFailed();
        _backend.StreamOf(stream).Synchronize();
        return *(uint*)_hostScratch.Address != 0;
    }

    /// <inheritdoc/>
    public double SumOfSquares(BufferSlice data, DType type, IStream? stream = null)
    {
        ulong count = Count(data, type, nameof(data));
        nint queue = _backend.StreamHandle(stream);
        nint pointer = data.Address;
        int typeCode = (int)type;
        var partials = (ulong)_deviceScratch.Address;
        void** arguments = stackalloc void*[] { &pointer, &typeCode, &count, &partials };
        Launch(_sumOfSquares, SumOfSquaresBlocks, stream, arguments);
        CudaDriver.cuMemcpyDtoHAsync(_hostScratch.Address, partials, SumOfSquaresBlocks * sizeof(double), queue).ThrowIfFailed();
        _backend.StreamOf(stream).Synchronize();
        double sum = 0;
        foreach (double partial in new ReadOnlySpan<double>((void*)_hostScratch.Address, SumOfSquaresBlocks))
        {
            sum += partial;
        }

        return sum;
    }

    /// <inheritdoc/>
    public void AccumulateNonFinite(BufferSlice data, DType type, BufferSlice flag, IStream? stream = null)
    {
        ulong count = Count(data, type, nameof(data));
        RequireBytes(flag, sizeof(uint), nameof(flag));
        nint pointer = data.Address;
        int typeCode = (int)type;
        var target = (ulong)flag.Address;
        void** arguments = stackalloc void*[] { &pointer, &typeCode, &count, &target };
        Launch(_nonFinite, Grid(count), stream, arguments);
    }

    /// <inheritdoc/>
    public void QueueSumOfSquares(BufferSlice data, DType type, BufferSlice partials, IStream? stream = null)
    {
        ulong count = Count(data, type, nameof(data));
        RequireBytes(partials, SumOfSquaresBlocks * sizeof(double), nameof(partials));
        nint pointer = data.Address;
        int typeCode = (int)type;
        var target = (ulong)partials.Address;
        void** arguments = stackalloc void*[] { &pointer, &typeCode, &count, &target };
        Launch(_sumOfSquares, SumOfSquaresBlocks, stream, arguments);
    }

    /// <inheritdoc/>
    public void Adam(
        BufferSlice master, BufferSlice expAvg, BufferSlice expAvgSq,
        BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType,
        in AdamParameters parameters, IStream? stream = null)
    {
        ulong count = Count(master, DType.Float32, nameof(master));
        RequireCount(expAvg, DType.Float32, count, nameof(expAvg));
        RequireCount(expAvgSq, DType.Float32, count, nameof(expAvgSq));
        RequireCount(gradient, gradientType, count, nameof(gradient));
        RequireOptionalCount(parameter, parameterType, count, nameof(parameter));
        if (parameters.Step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.Step, "Adam's step number is 1-based.");
        }

        // The host kernel's constants, so a step gives the host's bits (the PTX fuses no multiply-add either).
        var c = AdamConstants.From(parameters);
        float lerpWeight = c.LerpWeight, beta2 = c.Beta2, oneMinusBeta2 = c.OneMinusBeta2, l2 = c.L2WeightDecay;
        float decayFactor = c.DecoupledDecayFactor, stepSize = c.StepSize, correction2Sqrt = c.BiasCorrection2Sqrt;
        nint m = master.Address, first = expAvg.Address, second = expAvgSq.Address, g = gradient.Address;
        nint p = parameter.ByteLength == 0 ? 0 : parameter.Address;
        int gType = (int)gradientType, pType = (int)parameterType, decoupled = parameters.Decoupled ? 1 : 0;
        float epsilon = c.Epsilon, gradientScale = c.GradientScale;
        void** arguments = stackalloc void*[]
        {
            &m, &first, &second, &g, &gType, &p, &pType, &count,
            &lerpWeight, &beta2, &oneMinusBeta2, &epsilon, &l2, &decoupled, &decayFactor, &stepSize, &correction2Sqrt, &gradientScale,
        };
        Launch(_adam, Grid(count), stream, arguments);
    }

    /// <inheritdoc/>
    public void Sgd(
        BufferSlice master, BufferSlice momentum,
        BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType,
        in SgdParameters parameters, IStream? stream = null)
    {
        ulong count = Count(master, DType.Float32, nameof(master));
        if (parameters.Momentum != 0)
        {
            RequireCount(momentum, DType.Float32, count, nameof(momentum));
        }

        RequireCount(gradient, gradientType, count, nameof(gradient));
        RequireOptionalCount(parameter, parameterType, count, nameof(parameter));
        nint m = master.Address, buffer = momentum.ByteLength == 0 ? 0 : momentum.Address, g = gradient.Address;
        nint p = parameter.ByteLength == 0 ? 0 : parameter.Address;
        int gType = (int)gradientType, pType = (int)parameterType;
        int nesterov = parameters.Nesterov ? 1 : 0, firstStep = parameters.FirstStep ? 1 : 0;
        float lr = parameters.LearningRate, factor = parameters.Momentum, dampening = parameters.Dampening;
        float decay = parameters.WeightDecay, gradientScale = parameters.GradientScale;
        void** arguments = stackalloc void*[]
        {
            &m, &buffer, &g, &gType, &p, &pType, &count,
            &lr, &factor, &dampening, &decay, &nesterov, &firstStep, &gradientScale,
        };
        Launch(_sgd, Grid(count), stream, arguments);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _deviceScratch.Dispose();
        _hostScratch.Dispose();
        foreach (KernelModule module in _modules)
        {
            module.Dispose();
        }
    }

    // Each file NAME.cu defines one entry point, elixir_NAME.
    private nint Function(string kernel) => _modules[KernelSources.IndexOf(kernel)].Function("elixir_" + kernel);

    private uint Grid(ulong count) => (uint)Math.Clamp((count + BlockSize - 1) / BlockSize, 1, _maxGrid);

    private void Launch(nint function, uint grid, IStream? stream, void** arguments)
    {
        _backend.MakeCurrent();
        CudaDriver.cuLaunchKernel(function, grid, 1, 1, BlockSize, 1, 1, 0, _backend.StreamHandle(stream), arguments, null).ThrowIfFailed();
    }

    private static ulong Count(BufferSlice slice, DType type, string name)
    {
        int size = type.SizeOf();
        if (slice.ByteLength % size != 0)
        {
            throw new ArgumentException($"{name} holds {slice.ByteLength} bytes, not a whole number of {size}-byte {type} elements.", name);
        }

        return (ulong)(slice.ByteLength / size);
    }

    private static void RequireCount(BufferSlice slice, DType type, ulong count, string name)
    {
        ulong actual = Count(slice, type, name);
        if (actual != count)
        {
            throw new ArgumentException($"{name} holds {actual} {type} elements; the call works on {count}.", name);
        }
    }

    private static void RequireBytes(BufferSlice slice, int bytes, string name)
    {
        if (slice.ByteLength != bytes)
        {
            throw new ArgumentException($"{name} holds {slice.ByteLength} bytes; the kernel writes {bytes}.", name);
        }
    }

    private static void RequireOptionalCount(BufferSlice slice, DType type, ulong count, string name)
    {
        if (slice.ByteLength != 0)
        {
            RequireCount(slice, type, count, name);
        }
    }
}
