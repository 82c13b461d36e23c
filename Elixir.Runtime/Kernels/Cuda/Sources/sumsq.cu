#include "dtype.cuh"

// First stage of a deterministic sum of squares: the grid size is fixed by the caller, each thread visits a
// fixed set of elements in a fixed order, and each block folds its threads with a fixed tree. Block b writes
// partials[b]; the host adds the partials in index order. No atomics, so every run gives the same bits.
#define SUMSQ_THREADS 256

extern "C" __global__ void __launch_bounds__(SUMSQ_THREADS) elixir_sumsq(const void* data, int type, u64 count, double* partials)
{
    __shared__ double lane[SUMSQ_THREADS];
    double sum = 0.0;
    for (u64 i = first_index(); i < count; i += grid_stride())
    {
        double x = load_as_float(data, type, i);
        sum += x * x;
    }
    lane[threadIdx.x] = sum;
    __syncthreads();
    for (unsigned int width = SUMSQ_THREADS / 2; width > 0; width /= 2)
    {
        if (threadIdx.x < width)
        {
            lane[threadIdx.x] += lane[threadIdx.x + width];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0)
    {
        partials[blockIdx.x] = lane[0];
    }
}
