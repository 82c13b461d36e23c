using Elixir.Cuda;
using Elixir.Layout;
using Elixir.Memory.Cuda;
using Elixir.Memory;

namespace Elixir.Samples.Models.Cuda;

/// <summary>
/// Every activation, saved statistic and backward scratch tensor of the GPU model, carved from one device
/// allocation whose size <see cref="ByteLength"/> gives ahead of time (N = B·T rows, BH = B·H heads). Per-layer
/// tensors hold L slices, as the host model keeps them for backward.
/// </summary>
internal sealed class Gpt2CudaActivations : IDisposable
{
    private readonly NativeBuffer buffer;
    private long next;

    internal Gpt2CudaActivations(CudaMemoryBackend backend, Gpt2Config config, int batch)
    {
        int n = batch * config.SequenceLength, c = config.Channels, l = config.Layers, v = config.VocabularySize;
        long scores = (long)batch * config.Heads * config.SequenceLength * config.SequenceLength;
        buffer = backend.Allocate(ByteLength(config, batch), MemoryLocation.Device);
        Encoded = Floats((long)n * c);                 // (N, C) block 0's input
        Ln1 = Floats((long)l * n * c);                 // (L, N, C)
        Ln1Mean = Floats((long)l * n);                 // (L, N)
        Ln1Rstd = Floats((long)l * n);
        Qkv = Floats((long)l * n * 3 * c);             // (L, N, 3C)
        Heads = Floats((long)l * 3 * n * c);           // (L, 3, B, H, T, D): q, k, v per head
        AttentionWeights = Floats(l * scores);         // (L, B, H, T, T)
        AttentionOutput = Floats((long)l * n * c);     // (L, N, C) heads joined
        Residual2 = Floats((long)l * n * c);
        Ln2 = Floats((long)l * n * c);
        Ln2Mean = Floats((long)l * n);
        Ln2Rstd = Floats((long)l * n);
        Fc = Floats((long)l * n * 4 * c);              // (L, N, 4C)
        FcGelu = Floats((long)l * n * 4 * c);
        Residual3 = Floats((long)l * n * c);
        LnF = Floats((long)n * c);
        LnFMean = Floats(n);
        LnFRstd = Floats(n);
        Probabilities = Floats((long)n * v);           // (N, V) logits, then softmax in place
        LogitsGrad = Floats((long)n * v);
        Losses = Floats(n);
        ResidualGrad = Floats((long)n * c);
        NormGrad = Floats((long)n * c);
        FcGrad = Floats((long)n * 4 * c);
        AttentionOutputGrad = Floats((long)n * c);
        HeadGrad = Floats((long)n * c);                // (B, H, T, D) gradient of the joined heads
        HeadsGrad = Floats(3L * n * c);                // dq, dk, dv
        QkvGrad = Floats((long)n * 3 * c);
        WeightsGrad = Floats(scores);                  // (B, H, T, T)
        Tokens = Ints(n);
        Targets = Ints(n);
    }

    internal DevicePointer<float> Encoded { get; }
    internal DevicePointer<float> Ln1 { get; }
    internal DevicePointer<float> Ln1Mean { get; }
    internal DevicePointer<float> Ln1Rstd { get; }
    internal DevicePointer<float> Qkv { get; }
    internal DevicePointer<float> Heads { get; }
    internal DevicePointer<float> AttentionWeights { get; }
    internal DevicePointer<float> AttentionOutput { get; }
    internal DevicePointer<float> Residual2 { get; }
    internal DevicePointer<float> Ln2 { get; }
    internal DevicePointer<float> Ln2Mean { get; }
    internal DevicePointer<float> Ln2Rstd { get; }
    internal DevicePointer<float> Fc { get; }
    internal DevicePointer<float> FcGelu { get; }
    internal DevicePointer<float> Residual3 { get; }
    internal DevicePointer<float> LnF { get; }
    internal DevicePointer<float> LnFMean { get; }
    internal DevicePointer<float> LnFRstd { get; }
    internal DevicePointer<float> Probabilities { get; }
    internal DevicePointer<float> LogitsGrad { get; }
    internal DevicePointer<float> Losses { get; }
    internal DevicePointer<float> ResidualGrad { get; }
    internal DevicePointer<float> NormGrad { get; }
    internal DevicePointer<float> FcGrad { get; }
    internal DevicePointer<float> AttentionOutputGrad { get; }
    internal DevicePointer<float> HeadGrad { get; }
    internal DevicePointer<float> HeadsGrad { get; }
    internal DevicePointer<float> QkvGrad { get; }
    internal DevicePointer<float> WeightsGrad { get; }
    internal DevicePointer<int> Tokens { get; }
    internal DevicePointer<int> Targets { get; }

    /// <summary>The bytes of the one allocation: the sum of the tensors above, each 4-byte elements.</summary>
    internal static long ByteLength(Gpt2Config config, int batch)
    {
        long n = (long)batch * config.SequenceLength, c = config.Channels, l = config.Layers, v = config.VocabularySize;
        long scores = (long)batch * config.Heads * config.SequenceLength * config.SequenceLength;
        long perLayer = (n * c) + (2 * n) + (3 * n * c) + (3 * n * c) + scores + (n * c) + (n * c) + (n * c) + (2 * n) + (8 * n * c) + (n * c);
        long shared = (n * c) + (n * c) + (2 * n) + (2 * n * v) + n + (n * c) + (n * c) + (4 * n * c) + (n * c) + (n * c) + (3 * n * c) + (3 * n * c) + scores + (2 * n);
        return 4 * ((l * perLayer) + shared);
    }

    /// <summary>Slice <paramref name="layer"/> of a per-layer tensor of <paramref name="width"/> elements per layer.</summary>
    internal static DevicePointer<T> Layer<T>(DevicePointer<T> perLayer, int layer, long width) where T : unmanaged =>
        new(perLayer.Address + (ulong)(layer * width * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()), width);

    /// <summary>The part of <paramref name="pointer"/> from element <paramref name="offset"/>, <paramref name="length"/> long.</summary>
    internal static DevicePointer<T> Slice<T>(DevicePointer<T> pointer, long offset, long length) where T : unmanaged =>
        new(pointer.Address + (ulong)(offset * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()), length);

    internal BufferSlice Bytes<T>(DevicePointer<T> pointer) where T : unmanaged =>
        buffer.Slice((long)(pointer.Address - (ulong)buffer.Address), pointer.ByteLength);

    public void Dispose() => buffer.Dispose();

    private DevicePointer<float> Floats(long count) => Take<float>(count);

    private DevicePointer<int> Ints(long count) => Take<int>(count);

    private DevicePointer<T> Take<T>(long count) where T : unmanaged
    {
        if (next + (count * 4) > buffer.ByteLength)
        {
            throw new InvalidOperationException($"The activations need more than the {buffer.ByteLength} bytes ByteLength gave; the two lists differ.");
        }

        var pointer = new DevicePointer<T>((ulong)buffer.Address + (ulong)next, count);
        next += count * 4;
        return pointer;
    }
}
