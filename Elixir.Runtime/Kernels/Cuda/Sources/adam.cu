#include "dtype.cuh"

// torch.lerp's two-sided formula, which keeps the result exact at both ends.
__device__ __forceinline__ float lerp(float start, float end, float weight)
{
    return weight < 0.5f ? start + weight * (end - start) : end - (end - start) * (1.0f - weight);
}

// One step of torch.optim.Adam / AdamW (single-tensor path, amsgrad and maximize off), operation for operation as
// the host's HostAdam. The host passes every constant already rounded to float from double, as PyTorch's
// Python-float scalars are: lerp_weight = 1 - beta1, one_minus_beta2 = 1 - beta2, decay_factor = 1 - lr * weight
// decay (decoupled), step_size = lr / (1 - beta1^step) and bias_correction2_sqrt = (1 - beta2^step) ** 0.5.
// Built with -fmad=false, so no multiply-add is fused and a step gives the host's bits. gradient_scale multiplies
// the gradient before anything else. parameter may be null: the fp32 master is then the only copy written.
extern "C" __global__ void elixir_adam(
    float* master, float* exp_avg, float* exp_avg_sq,
    const void* gradient, int gradient_type,
    void* parameter, int parameter_type,
    u64 count,
    float lerp_weight, float beta2, float one_minus_beta2, float epsilon, float l2_weight_decay, int decoupled,
    float decay_factor, float step_size, float bias_correction2_sqrt, float gradient_scale)
{
    for (u64 i = first_index(); i < count; i += grid_stride())
    {
        float p = master[i];
        float g = load_as_float(gradient, gradient_type, i) * gradient_scale;
        if (decoupled)
        {
            p *= decay_factor;
        }
        else if (l2_weight_decay != 0.0f)
        {
            g += l2_weight_decay * p;
        }
        float m = lerp(exp_avg[i], g, lerp_weight);
        float v = beta2 * exp_avg_sq[i] + one_minus_beta2 * g * g;
        float denominator = sqrtf(v) / bias_correction2_sqrt + epsilon;
        p -= step_size * (m / denominator);
        exp_avg[i] = m;
        exp_avg_sq[i] = v;
        master[i] = p;
        if (parameter != nullptr)
        {
            store_from_float(parameter, parameter_type, i, p);
        }
    }
}
