// LayerNorm over the last dimension (eps 1e-5, as GPT-2), forward and backward.
#include "common.cuh"

// One warp per row: out (N, C) = (inp − mean) · rstd · weight + bias; saves mean (N) and rstd (N).
// Launch with blocks of a multiple of 32 threads and at least N warps in all.
extern "C" __global__ void gpt2_layernorm_forward(
    float* out, float* mean, float* rstd, const float* inp, const float* weight, const float* bias, int N, int C)
{
    int lane = threadIdx.x % 32;
    int row = (int)(((long long)blockIdx.x * blockDim.x + threadIdx.x) / 32);
    if (row >= N) return;
    const float* x = inp + (long long)row * C;
    float sum = 0.0f;
    for (int c = lane; c < C; c += 32) sum += x[c];
    float m = warp_sum(sum) / C;
    float squares = 0.0f;
    for (int c = lane; c < C; c += 32) {
        float d = x[c] - m;
        squares += d * d;
    }
    float s = rsqrtf(warp_sum(squares) / C + 1e-5f);
    float* y = out + (long long)row * C;
    for (int c = lane; c < C; c += 32) {
        y[c] = (x[c] - m) * s * weight[c] + bias[c];
    }
    if (lane == 0) {
        mean[row] = m;
        rstd[row] = s;
    }
}

// One warp per row: dinp (N, C) += the input gradient (the residual stream's gradient accumulates here).
extern "C" __global__ void gpt2_layernorm_backward_input(
    float* dinp, const float* dout, const float* inp, const float* weight, const float* mean, const float* rstd, int N, int C)
{
    int lane = threadIdx.x % 32;
    int row = (int)(((long long)blockIdx.x * blockDim.x + threadIdx.x) / 32);
    if (row >= N) return;
    const float* x = inp + (long long)row * C;
    const float* dy = dout + (long long)row * C;
    float m = mean[row], s = rstd[row];
    float dnormMean = 0.0f, dnormNormMean = 0.0f;
    for (int c = lane; c < C; c += 32) {
        float dnorm = weight[c] * dy[c];
        dnormMean += dnorm;
        dnormNormMean += dnorm * (x[c] - m) * s;
    }
    dnormMean = warp_sum(dnormMean) / C;
    dnormNormMean = warp_sum(dnormNormMean) / C;
    float* dx = dinp + (long long)row * C;
    for (int c = lane; c < C; c += 32) {
        float norm = (x[c] - m) * s;
        dx[c] += (weight[c] * dy[c] - dnormMean - norm * dnormNormMean) * s;
    }
}

// One thread per channel, rows in order: dweight (C) = Σ dout·norm, dbias (C) = Σ dout (both overwritten).
extern "C" __global__ void gpt2_layernorm_backward_params(
    float* dweight, float* dbias, const float* dout, const float* inp, const float* mean, const float* rstd, int N, int C)
{
    GRID_STRIDE(c, C) {
        float dw = 0.0f, db = 0.0f;
        for (int n = 0; n < N; n++) {
            float dy = dout[(long long)n * C + c];
            dw += dy * (inp[(long long)n * C + c] - mean[n]) * rstd[n];
            db += dy;
        }
        dweight[c] = dw;
        dbias[c] = db;
    }
}
