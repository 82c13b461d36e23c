using Elixir.Kernels;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Engine;

/// <summary>
/// The starting values of the tensors, produced in host memory one layout instance at a time while chunks are
/// built: what the instance's initializer writes through its layout's views (zeros without one), and the same
/// values as the parameter type and as fp32 for the master chunks. An instance's values are made when a chunk
/// first needs one of its tensors and freed once all its tensors are placed, so a model is never held whole.
/// </summary>
internal sealed class InitialValues(IMemoryBackend backend, IKernels hostKernels, DType parameterType) : IDisposable
{
    private readonly Dictionary<LayoutInstance, (NativeBuffer Declared, NativeBuffer Master, NativeBuffer? Parameter)> _buffers = [];
    private readonly Dictionary<LayoutInstance, int> _unplaced = [];

    /// <summary>Tensor <paramref name="index"/>'s values in the parameter type.</summary>
    public BufferSlice Parameter(LayoutInstance instance, int index)
    {
        var (declared, _, parameter) = Ensure(instance);
        var table = instance.StorageBinding.Table;
        return parameter is null
            ? declared.Slice(instance.Table[index].ByteOffset, instance.Table[index].ByteCount)
            : parameter.Slice(table[index].ByteOffset, table[index].ByteCount);
    }

    /// <summary>Tensor <paramref name="index"/>'s values in fp32.</summary>
    public BufferSlice Master(LayoutInstance instance, int index)
    {
        var table = instance.MasterBinding.Table;
        return Ensure(instance).Master.Slice(table[index].ByteOffset, table[index].ByteCount);
    }

    /// <summary>Records that one tensor of <paramref name="instance"/> is in its chunk; after the last one its values are freed.</summary>
    public void Placed(LayoutInstance instance)
    {
        int left = _unplaced.GetValueOrDefault(instance, instance.Table.Count) - 1;
        _unplaced[instance] = left;
        if (left == 0 && _buffers.Remove(instance, out var buffers))
        {
            Free(buffers);
        }
    }

    public void Dispose()
    {
        foreach (var buffers in _buffers.Values)
        {
            Free(buffers);
        }

        _buffers.Clear();
    }

    private static void Free((NativeBuffer Declared, NativeBuffer Master, NativeBuffer? Parameter) buffers)
    {
        buffers.Declared.Dispose();
        buffers.Master.Dispose();
        buffers.Parameter?.Dispose();
    }

    private (NativeBuffer Declared, NativeBuffer Master, NativeBuffer? Parameter) Ensure(LayoutInstance instance)
    {
        if (!_buffers.TryGetValue(instance, out var buffers))
        {
            Add(instance, hostKernels);
            buffers = _buffers[instance];
        }

        return buffers;
    }

    private void Add(LayoutInstance instance, IKernels kernels)
    {
        var table = instance.Table;
        var declared = backend.Allocate(Math.Max(table.TotalBytes, 1), MemoryLocation.Host, MemoryCategory.TransientIO);
        var masterTable = instance.MasterBinding.Table;
        var master = backend.Allocate(Math.Max(masterTable.TotalBytes, 1), MemoryLocation.Host, MemoryCategory.TransientIO);
        var storageTable = instance.StorageBinding.Table;
        var parameter = ReferenceEquals(instance.StorageBinding, instance.ParameterBinding)
            ? null
            : backend.Allocate(Math.Max(storageTable.TotalBytes, 1), MemoryLocation.Host, MemoryCategory.TransientIO);
        _buffers.Add(instance, (declared, master, parameter));
        backend.Fill(declared.All, 0);
        if (instance.Initializer is { } initializer)
        {
            var binding = new LayoutBinding(table);
            binding.BindContiguous(declared.Address, BindingLocation.Host);
            initializer(binding);
        }

        for (int t = 0; t < table.Count; t++)
        {
            var source = declared.Slice(table[t].ByteOffset, table[t].ByteCount);
            var wide = master.Slice(masterTable[t].ByteOffset, masterTable[t].ByteCount);
            if (table[t].DType == DType.Float32)
            {
                backend.Copy(wide, source);
            }
            else
            {
                kernels.Cast(source, table[t].DType, wide, DType.Float32);
            }

            if (parameter is not null)
            {
                var target = parameter.Slice(storageTable[t].ByteOffset, storageTable[t].ByteCount);
                if (table[t].DType == parameterType)
                {
                    backend.Copy(target, source);
                }
                else
                {
                    kernels.Cast(wide, DType.Float32, target, parameterType);
                }
            }
        }
    }
}
