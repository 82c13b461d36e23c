// Element-wise pieces: GELU (tanh approximation, as GPT-2), residual add, bias broadcast and bias gradient.
#include "common.cuh"

#define GELU_SCALE 0.7978845608028654f  // sqrt(2 / pi)
#define GELU_CUBE 0.044715f

extern "C" __global__ void gpt2_gelu_forward(float* out, const float* inp, long long n)
{
    GRID_STRIDE(i, n) {
        float x = inp[i];
        out[i] = 0.5f * x * (1.0f + tanhf(GELU_SCALE * (x + GELU_CUBE * x * x * x)));
    }
}

// dinp = gelu'(inp) · dout; dinp may be dout (computed in place).
extern "C" __global__ void gpt2_gelu_backward(float* dinp, const float* dout, const float* inp, long long n)
{
    GRID_STRIDE(i, n) {
        float x = inp[i];
        float t = tanhf(GELU_SCALE * (x + GELU_CUBE * x * x * x));
        float local = 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * GELU_SCALE * (1.0f + 3.0f * GELU_CUBE * x * x);
        dinp[i] = local * dout[i];
    }
}

// out = a + b; out may be a or b.
extern "C" __global__ void gpt2_residual_forward(float* out, const float* a, const float* b, long long n)
{
    GRID_STRIDE(i, n) {
        out[i] = a[i] + b[i];
    }
}

// out (N, OC) = bias in every row; a GEMM with beta 1 then adds the product.
extern "C" __global__ void gpt2_bias_broadcast(float* out, const float* bias, int N, int OC)
{
    GRID_STRIDE(i, (long long)N * OC) {
        out[i] = bias[i % OC];
    }
}

// One thread per output channel, rows in order: dbias (OC) = Σ_n dout[n] (overwritten).
extern "C" __global__ void gpt2_bias_backward(float* dbias, const float* dout, int N, int OC)
{
    GRID_STRIDE(o, OC) {
        float sum = 0.0f;
        for (int n = 0; n < N; n++) {
            sum += dout[(long long)n * OC + o];
        }
        dbias[o] = sum;
    }
}
