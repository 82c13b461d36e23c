#include "dtype.cuh"

extern "C" __global__ void elixir_scale(void* data, int type, float factor, u64 count)
{
    for (u64 i = first_index(); i < count; i += grid_stride())
    {
        store_from_float(data, type, i, load_as_float(data, type, i) * factor);
    }
}
