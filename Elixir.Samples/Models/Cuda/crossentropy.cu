// Softmax over the vocabulary and the cross-entropy against the targets, forward and backward.
#include "common.cuh"

// One block per row: probs (N, V) = softmax(logits); losses (N) = −log probs[target]. probs may be logits.
extern "C" __global__ void gpt2_crossentropy_forward(
    float* probs, float* losses, const float* logits, const int* targets, int N, int V)
{
    __shared__ float scratch[32];
    int n = blockIdx.x;
    if (n >= N) return;
    const float* x = logits + (long long)n * V;
    float* p = probs + (long long)n * V;

    // Read before any thread overwrites the logits with probabilities (the block reductions below synchronise).
    float target = x[targets[n]];
    float max = -INFINITY;
    for (int j = threadIdx.x; j < V; j += blockDim.x) max = fmaxf(max, x[j]);
    max = block_max(max, scratch);
    float sum = 0.0f;
    for (int j = threadIdx.x; j < V; j += blockDim.x) sum += expf(x[j] - max);
    sum = block_sum(sum, scratch);
    for (int j = threadIdx.x; j < V; j += blockDim.x) p[j] = expf(x[j] - max) / sum;
    if (threadIdx.x == 0) losses[n] = logf(sum) + max - target;  // −log softmax(x)[target], without reading p
}

// dlogits (N, V) = (probs − onehot(target)) / N: the gradient of the mean loss. dlogits may be probs.
extern "C" __global__ void gpt2_crossentropy_backward(float* dlogits, const float* probs, const int* targets, int N, int V)
{
    GRID_STRIDE(i, (long long)N * V) {
        int n = (int)(i / V), j = (int)(i % V);
        dlogits[i] = (probs[i] - (j == targets[n] ? 1.0f : 0.0f)) / N;
    }
}
