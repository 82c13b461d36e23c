using Elixir.Kernels;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Engine;

/// <summary>
/// The starting values of every tensor, produced once at construction in host memory: what each instance's
/// initializer writes through its layout's views (zeros without one), and the same values as the parameter type
/// and as fp32 for the master chunks.
/// </summary>
internal sealed class InitialValues : IDisposable
{
    private readonly Dictionary<LayoutInstance, (NativeBuffer Declared, NativeBuffer Master, NativeBuffer? Parameter)> _buffers = [];

    private InitialValues()
    {
    }

    public static InitialValues Create(ModelDefinition model, IMemoryBackend backend, IKernels hostKernels, DType parameterType)
    {
        var values = new InitialValues();
        try
        {
            foreach (var instance in model.Instances)
            {
                values.Add(instance, backend, hostKernels, parameterType);
            }

            return values;
        }
        catch
        {
            values.Dispose();
            throw;
        }
    }

    /// <summary>Tensor <paramref name="index"/>'s values in the parameter type.</summary>
    public BufferSlice Parameter(LayoutInstance instance, int index)
    {
        var (declared, _, parameter) = _buffers[instance];
        var table = instance.StorageBinding.Table;
        return parameter is null
            ? declared.Slice(instance.Table[index].ByteOffset, instance.Table[index].ByteCount)
            : parameter.Slice(table[index].ByteOffset, table[index].ByteCount);
    }

    /// <summary>Tensor <paramref name="index"/>'s values in fp32.</summary>
    public BufferSlice Master(LayoutInstance instance, int index)
    {
        var table = instance.MasterBinding.Table;
        return _buffers[instance].Master.Slice(table[index].ByteOffset, table[index].ByteCount);
    }

    public void Dispose()
    {
        foreach (var (declared, master, parameter) in _buffers.Values)
        {
            declared.Dispose();
            master.Dispose();
            parameter?.Dispose();
        }
    }

    private void Add(LayoutInstance instance, IMemoryBackend backend, IKernels kernels, DType parameterType)
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
