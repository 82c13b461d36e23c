#include "dtype.cuh"

extern "C" __global__ void elixir_cast(const void* source, int source_type, void* destination, int destination_type, u64 count)
{
    for (u64 i = first_index(); i < count; i += grid_stride())
    {
        store_from_float(destination, destination_type, i, load_as_float(source, source_type, i));
    }
}
