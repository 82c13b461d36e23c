#include "dtype.cuh"

// torch.lerp's two-sided formula, which keeps the result exact at both ends.
__device__ __forceinline__ float lerp(float start, float end, float weight)
{
    return weight < 0.5f ? start + weight * (end - start) : end - (end - start) * (1.0f - weight);
}

// One step of torch.optim.Adam / AdamW (single-tensor path, amsgrad and maximize off). The host passes
// step_size = lr / (1 - beta1^step) and bias_correction2_sqrt = sqrt(1 - beta2^step), computed in double as
// PyTorch does. gradient_scale multiplies the gradient before anything else. parameter may be null: the
// fp32 master is then the only copy written.
extern "C" __global__ void elixir_adam(
    float* master, float* exp_avg, float* exp_avg_sq,
    const void* gradient, int gradient_type,
    void* parameter, int parameter_type,
    u64 count,
    float learning_rate, float beta1, float beta2, float epsilon, float weight_decay, int decoupled,
    float step_size, float bias_correction2_sqrt, float gradient_scale)
{
    for (u64 i = first_index(); i < count; i += grid_stride())
    {
        float p = master[i];
        float g = load_as_float(gradient, gradient_type, i) * gradient_scale;
        if (weight_decay != 0.0f)
        {
            if (decoupled)
            {
                p *= 1.0f - learning_rate * weight_decay;
            }
            else
            {
                g += weight_decay * p;
            }
        }
        float m = lerp(exp_avg[i], g, 1.0f - beta1);
        float v = exp_avg_sq[i] * beta2 + (1.0f - beta2) * g * g;
        float denominator = sqrtf(v) / bias_correction2_sqrt + epsilon;
        p += -step_size * (m / denominator);
        exp_avg[i] = m;
        exp_avg_sq[i] = v;
        master[i] = p;
        if (parameter != nullptr)
        {
            store_from_float(parameter, parameter_type, i, p);
        }
    }
}
