// Element access shared by every kernel. Type codes are Elixir.Numerics.DType: 0 fp32, 1 fp16, 2 bf16.
// The type is a kernel argument rather than a template parameter so one entry point serves every
// combination; the branch is uniform across the grid and costs nothing next to the memory traffic.
#pragma once
#include <cuda_fp16.h>
#include <cuda_bf16.h>

typedef unsigned long long u64;

__device__ __forceinline__ float load_as_float(const void* data, int type, u64 i)
{
    switch (type)
    {
    case 0: return static_cast<const float*>(data)[i];
    case 1: return __half2float(static_cast<const __half*>(data)[i]);
    default: return __bfloat162float(static_cast<const __nv_bfloat16*>(data)[i]);
    }
}

// Rounds to nearest even, like the host kernels.
__device__ __forceinline__ void store_from_float(void* data, int type, u64 i, float value)
{
    switch (type)
    {
    case 0: static_cast<float*>(data)[i] = value; break;
    case 1: static_cast<__half*>(data)[i] = __float2half_rn(value); break;
    default: static_cast<__nv_bfloat16*>(data)[i] = __float2bfloat16_rn(value); break;
    }
}

__device__ __forceinline__ u64 first_index() { return static_cast<u64>(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ __forceinline__ u64 grid_stride() { return static_cast<u64>(gridDim.x) * blockDim.x; }
