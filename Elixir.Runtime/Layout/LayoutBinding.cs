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
    private readonly BindingLocation[] _locations;

    /// <summary>Creates an unbound binding (every address zero) for <paramref name="table"/>.</summary>
    public LayoutBinding(LayoutTable table, BindingLocation location = BindingLocation.Host)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        Location = location;
        _addresses = new nint[table.Count];
        _locations = new BindingLocation[table.Count];
        Array.Fill(_locations, location);
    }

    /// <summary>What the binding holds, for messages (e.g. "the gradients of 'transformer.h.3'"); null: unnamed.</summary>
    public string? Description { get; init; }

    /// <summary>The layout's offset table.</summary>
    public LayoutTable Table { get; }

    /// <summary>
    /// Where addresses set without a location live (given at construction or by <see cref="BindContiguous"/>); each
    /// tensor's own location is <see cref="LocationOf"/>.
    /// </summary>
    public BindingLocation Location { get; private set; }

    /// <summary>The address of tensor <paramref name="tensor"/>; zero while unbound.</summary>
    public nint AddressOf(int tensor) => _addresses[tensor];

    /// <summary>Where the memory of tensor <paramref name="tensor"/> lives: which views of it are legal.</summary>
    public BindingLocation LocationOf(int tensor) => _locations[tensor];

    /// <summary>Sets the address of one tensor, in memory at <see cref="Location"/>.</summary>
    public void SetAddress(int tensor, nint address) => SetAddress(tensor, address, Location);

    /// <summary>
    /// Sets the address of one tensor and where its memory lives, so that a host view of device memory (or a device
    /// pointer to host memory) throws instead of dereferencing an address of the wrong space.
    /// </summary>
    public void SetAddress(int tensor, nint address, BindingLocation location)
    {
        _addresses[tensor] = address;
        _locations[tensor] = location;
    }

    /// <summary>Binds every tensor at <paramref name="baseAddress"/> plus its table offset (a layout-shaped buffer).</summary>
    public void BindContiguous(nint baseAddress, BindingLocation location)
    {
        Location = location;
        Array.Fill(_locations, location);
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
        if (address == 0 || _locations[tensor] != BindingLocation.Host)
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
        if (address == 0 || _locations[tensor] != BindingLocation.Device)
        {
            ThrowNotDeviceBound(tensor);
        }

        return new DevicePointer<T>((ulong)address, Table[tensor].ElementCount);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotHostBound(int tensor) => throw new InvalidOperationException(_addresses[tensor] == 0
        ? $"Tensor '{Table[tensor].Name}' of layout '{Table.LayoutName}'{Described} is not bound to host memory " +
          $"(location {_locations[tensor]}, address 0x0); gather its chunk first."
        : $"Tensor '{Table[tensor].Name}' of layout '{Table.LayoutName}'{Described} lives in {_locations[tensor]} memory " +
          $"(address 0x{_addresses[tensor]:X}); a host view would dereference a device address. Use its device pointer, or copy it to the host.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotDeviceBound(int tensor) => throw new InvalidOperationException(_addresses[tensor] == 0
        ? $"Tensor '{Table[tensor].Name}' of layout '{Table.LayoutName}'{Described} is not bound to device memory " +
          $"(location {_locations[tensor]}, address 0x0); gather its chunk first."
        : $"Tensor '{Table[tensor].Name}' of layout '{Table.LayoutName}'{Described} lives in {_locations[tensor]} memory " +
          $"(address 0x{_addresses[tensor]:X}); a device pointer to it is not a device address. Use its host view.");

    private string Described => Description is null ? "" : $" ({Description})";
}
