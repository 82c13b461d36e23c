#include "dtype.cuh"

// One step of torch.optim.SGD (maximize off). gradient_scale multiplies the gradient before anything else.
// With momentum 0 the momentum buffer is neither read nor written and may be null. On the first step the
// buffer starts as the gradient, as PyTorch's clone does. parameter may be null, as in elixir_adam.
extern "C" __global__ void elixir_sgd(
    float* master, float* momentum_buffer,
    const void* gradient, int gradient_type,
    void* parameter, int parameter_type,
    u64 count,
    float learning_rate, float momentum, float dampening, float weight_decay, int nesterov, int first_step,
    float gradient_scale)
{
    for (u64 i = first_index(); i < count; i += grid_stride())
    {
        float p = master[i];
        float g = load_as_float(gradient, gradient_type, i) * gradient_scale;
        if (weight_decay != 0.0f)
        {
            g += weight_decay * p;
        }
        if (momentum != 0.0f)
        {
            float buffer = first_step ? g : momentum_buffer[i] * momentum + (1.0f - dampening) * g;
            momentum_buffer[i] = buffer;
            g = nesterov ? g + momentum * buffer : buffer;
        }
        p -= learning_rate * g;
        master[i] = p;
        if (parameter != nullptr)
        {
            store_from_float(parameter, parameter_type, i, p);
        }
    }
}
