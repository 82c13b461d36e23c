#include "dtype.cuh"

// Sets *flag to 1 when any element is NaN or infinite; the caller zeroes it first. Widening to fp32 is exact,
// so a non-finite fp16 or bf16 value stays non-finite.
extern "C" __global__ void elixir_nonfinite(const void* data, int type, u64 count, unsigned int* flag)
{
    for (u64 i = first_index(); i < count; i += grid_stride())
    {
        if (!isfinite(load_as_float(data, type, i)))
        {
            *flag = 1u;
            return;
        }
    }
}
