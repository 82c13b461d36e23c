// Token plus position embedding, and its backward. Launch with any 1-D grid of 1-D blocks.
#include "common.cuh"

// out (N, C) = wte[tokens[n]] + wpe[n % T]; wte (V, C), wpe (T, C).
extern "C" __global__ void gpt2_embedding_forward(
    float* out, const int* tokens, const float* wte, const float* wpe, int N, int T, int C)
{
    GRID_STRIDE(i, (long long)N * C) {
        int n = (int)(i / C), c = (int)(i % C);
        out[i] = wte[(long long)tokens[n] * C + c] + wpe[(long long)(n % T) * C + c];
    }
}

// dwpe (T, C) = the sum over the batch of dout at that position (overwritten; B = N / T).
// Summed in batch order by one thread per element, so the result does not depend on scheduling.
extern "C" __global__ void gpt2_embedding_backward_position(float* dwpe, const float* dout, int N, int T, int C)
{
    GRID_STRIDE(i, (long long)T * C) {
        int t = (int)(i / C), c = (int)(i % C);
        float sum = 0.0f;
        for (int n = t; n < N; n += T) {
            sum += dout[(long long)n * C + c];
        }
        dwpe[i] = sum;
    }
}

// dwte[tokens[n]] += dout[n] (added to the head's share already there). Tokens repeat, so the adds are atomic.
extern "C" __global__ void gpt2_embedding_backward_token(float* dwte, const float* dout, const int* tokens, int N, int C)
{
    GRID_STRIDE(i, (long long)N * C) {
        int n = (int)(i / C), c = (int)(i % C);
        atomicAdd(&dwte[(long long)tokens[n] * C + c], dout[i]);
    }
}
