// The non-matmul parts of causal self-attention. The products (scores = Q·Kᵀ, out = att·V and their backward)
// are cuBLAS strided-batched GEMMs over the B·H heads, which need each head's Q, K and V contiguous:
// qkv (B, T, 3C) is permuted to q, k, v (B, H, T, D) with D = C / H, and the result back to (B, T, C).
#include "common.cuh"

// q, k, v (B, H, T, D) from qkv (B, T, 3, H, D).
extern "C" __global__ void gpt2_attention_permute(
    float* q, float* k, float* v, const float* qkv, int B, int T, int H, int D)
{
    int C = H * D;
    GRID_STRIDE(i, (long long)B * H * T * D) {
        int d = (int)(i % D), t = (int)((i / D) % T), h = (int)((i / ((long long)D * T)) % H), b = (int)(i / ((long long)D * T * H));
        long long row = ((long long)b * T + t) * 3 * C + (long long)h * D + d;
        q[i] = qkv[row];
        k[i] = qkv[row + C];
        v[i] = qkv[row + 2 * C];
    }
}

// dqkv (B, T, 3, H, D) from dq, dk, dv (B, H, T, D) (overwritten).
extern "C" __global__ void gpt2_attention_permute_backward(
    float* dqkv, const float* dq, const float* dk, const float* dv, int B, int T, int H, int D)
{
    int C = H * D;
    GRID_STRIDE(i, (long long)B * H * T * D) {
        int d = (int)(i % D), t = (int)((i / D) % T), h = (int)((i / ((long long)D * T)) % H), b = (int)(i / ((long long)D * T * H));
        long long row = ((long long)b * T + t) * 3 * C + (long long)h * D + d;
        dqkv[row] = dq[i];
        dqkv[row + C] = dk[i];
        dqkv[row + 2 * C] = dv[i];
    }
}

// out (B, T, H, D) from y (B, H, T, D).
extern "C" __global__ void gpt2_attention_unpermute(float* out, const float* y, int B, int T, int H, int D)
{
    GRID_STRIDE(i, (long long)B * H * T * D) {
        int d = (int)(i % D), t = (int)((i / D) % T), h = (int)((i / ((long long)D * T)) % H), b = (int)(i / ((long long)D * T * H));
        out[(((long long)b * T + t) * H + h) * D + d] = y[i];
    }
}

// dy (B, H, T, D) from dout (B, T, H, D).
extern "C" __global__ void gpt2_attention_unpermute_backward(float* dy, const float* dout, int B, int T, int H, int D)
{
    GRID_STRIDE(i, (long long)B * H * T * D) {
        int d = (int)(i % D), t = (int)((i / D) % T), h = (int)((i / ((long long)D * T)) % H), b = (int)(i / ((long long)D * T * H));
        dy[i] = dout[(((long long)b * T + t) * H + h) * D + d];
    }
}

// One block per row (BH·T rows of T scores): att[t, j] = softmax over j ≤ t of scale·scores[t, j]; 0 above the
// diagonal. att may be scores. Launch with a multiple of 32 threads per block.
extern "C" __global__ void gpt2_attention_softmax_forward(float* att, const float* scores, float scale, int rows, int T)
{
    __shared__ float scratch[32];
    int row = blockIdx.x;
    if (row >= rows) return;
    int t = row % T;
    const float* s = scores + (long long)row * T;
    float* a = att + (long long)row * T;
    float max = -INFINITY;
    for (int j = threadIdx.x; j <= t; j += blockDim.x) max = fmaxf(max, scale * s[j]);
    max = block_max(max, scratch);
    float sum = 0.0f;
    for (int j = threadIdx.x; j <= t; j += blockDim.x) sum += expf(scale * s[j] - max);
    sum = block_sum(sum, scratch);
    for (int j = threadIdx.x; j < T; j += blockDim.x) {
        a[j] = j <= t ? expf(scale * s[j] - max) / sum : 0.0f;
    }
}

// One block per row: dscores[t, j] = scale · att[t, j] · (datt[t, j] − Σ_k att[t, k]·datt[t, k]), 0 above the
// diagonal. dscores may be datt.
extern "C" __global__ void gpt2_attention_softmax_backward(
    float* dscores, const float* datt, const float* att, float scale, int rows, int T)
{
    __shared__ float scratch[32];
    int row = blockIdx.x;
    if (row >= rows) return;
    int t = row % T;
    const float* a = att + (long long)row * T;
    const float* da = datt + (long long)row * T;
    float dot = 0.0f;
    for (int j = threadIdx.x; j <= t; j += blockDim.x) dot += a[j] * da[j];
    dot = block_sum(dot, scratch);
    float* ds = dscores + (long long)row * T;
    for (int j = threadIdx.x; j < T; j += blockDim.x) {
        ds[j] = j <= t ? scale * a[j] * (da[j] - dot) : 0.0f;
    }
}
