using System.Runtime.CompilerServices;
using Elixir.Layout;

namespace Elixir.Cuda;

/// <summary>
/// A kernel's arguments in declaration order, held by value (no allocation), as <c>cuLaunchKernel</c> takes them:
/// each in its own 8-byte slot, from which the driver copies as many bytes as the kernel's PTX declares for that
/// parameter (a 4-byte <c>int</c> or <c>float</c> reads the slot's low half, as on every little-endian GPU host).
/// A device pointer is passed as its address (<c>T*</c> in CUDA C).
/// </summary>
public struct KernelArguments
{
    /// <summary>The most arguments one launch takes.</summary>
    public const int Capacity = 32;

    private Slots slots;

    /// <summary>The number of arguments added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a device pointer (<c>T*</c> or <c>const T*</c>).</summary>
    public void Add<T>(DevicePointer<T> pointer) where T : unmanaged => Push(pointer.Address);

    /// <summary>Adds an <c>int</c>.</summary>
    public void Add(int value) => Push((uint)value);

    /// <summary>Adds a <c>float</c>.</summary>
    public void Add(float value) => Push(BitConverter.SingleToUInt32Bits(value));

    /// <summary>Adds a <c>long long</c> or <c>size_t</c>.</summary>
    public void Add(long value) => Push((ulong)value);

    internal readonly ulong this[int index] => slots[index];

    private void Push(ulong value)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"A kernel launch takes at most {Capacity} arguments.");
        }

        slots[Count++] = value;
    }

    [InlineArray(Capacity)]
    private struct Slots
    {
        private ulong element;
    }
}
