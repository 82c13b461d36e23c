using System.Runtime.CompilerServices;

namespace Elixir.Layout;

/// <summary>Where the memory behind a <see cref="LayoutBinding"/> lives.</summary>
public enum BindingLocation : byte
{
    /// <summary>Host memory: tensors are read through <see cref="Span{T}"/> views.</summary>
    Host = 0,
    /// <summary>Device memory: tensors are exposed as <see cref="DevicePointer{T}"/> values only.</summary>
    Device = 1,
}

/// <summary>
/// The current address of every tensor of one layout instance. The runtime rewrites the addresses when it
/// gathers the chunks that hold the tensors (a layout may span several chunks, and gathered chunks land in
/// whichever rCache block is free); generated views read them on each access, so views never go stale and
/// rebinding allocates nothing.
/// </summary>
public sealed class LayoutBinding
{
    private readonly nint[] _addresses;

    /// <summary>Creates an unbound binding (every address zero) for <paramref name="table"/>.</summary>
    public LayoutBinding(LayoutTable table, BindingLocation location = BindingLocation.Host)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        Location = location;
        _addresses = new nint[table.Count];
    }

    /// <summary>What the binding holds, for messages (e.g. "the gradients of 'transformer.h.3'"); null: unnamed.</summary>
    public string? Description { get; init; }

    /// <summary>The layout's offset table.</summary>
    public LayoutTable Table { get; }

    /// <summary>Whether the addresses are host or device addresses.</summary>
    public BindingLocation Location { get; private set; }

    /// <summary>The address of tensor <paramref name="tensor"/>; zero while unbound.</summary>
    public nint AddressOf(int tensor) => _addresses[tensor];

    /// <summary>Sets the address of one tensor.</summary>
    public void SetAddress(int tensor, nint address) => _addresses[tensor] = address;

    /// <summary>Binds every tensor at <paramref name="baseAddress"/> plus its table offset (a layout-shaped buffer).</summary>
    public void BindContiguous(nint baseAddress, BindingLocation location)
    {
        Location = location;
        for (int i = 0; i < _addresses.Length; i++)
        {
            _addresses[i] = baseAddress + (nint)Table[i].ByteOffset;
        }
    }

    /// <summary>Marks every tensor unbound.</summary>
    public void Unbind() => Array.Clear(_addresses);

    /// <summary>A host view of tensor <paramref name="tensor"/>; used by generated properties.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe Span<T> HostSpan<T>(int tensor) where T : unmanaged
    {
        nint address = _addresses[tensor];
        if (address == 0 || Location != BindingLocation.Host)
        {
            ThrowNotHostBound(tensor);
        }

        return new Span<T>((void*)address, checked((int)Table[tensor].ElementCount));
    }

    /// <summary>A typed device pointer to tensor <paramref name="tensor"/>; used by generated properties.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DevicePointer<T> DevicePointer<T>(int tensor) where T : unmanaged
    {
        nint address = _addresses[tensor];
        if (address == 0 || Location != BindingLocation.Device)
        {
            ThrowNotDeviceBound(tensor);
        }

        return new DevicePointer<T>((ulong)address, Table[tensor].ElementCount);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotHostBound(int tensor) => throw new InvalidOperationException(
        $"Tensor '{Table[tensor].Name}' of layout '{Table.LayoutName}'{Described} is not bound to host memory " +
        $"(location {Location}, address 0x{_addresses[tensor]:X}); gather its chunk first.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotDeviceBound(int tensor) => throw new InvalidOperationException(
        $"Tensor '{Table[tensor].Name}' of layout '{Table.LayoutName}'{Described} is not bound to device memory " +
        $"(location {Location}, address 0x{_addresses[tensor]:X}); gather its chunk first.");

    private string Described => Description is null ? "" : $" ({Description})";
}
