using Elixir.Cuda;
using Elixir.Layout;
using Elixir.Memory.Cuda;
using Elixir.Memory;

namespace Elixir.Samples.Models.Cuda;

/// <summary>
/// The sample GPT-2's CUDA C kernels, loaded from the embedded PTX through the runtime's public module API and
/// launched on one stream (the engine's compute stream). Each method queues one kernel and allocates nothing.
/// </summary>
internal sealed class Gpt2CudaKernels : IDisposable
{
    private const uint Threads = 256;

    private readonly CudaModule[] modules;
    private readonly IStream stream;
    private readonly CudaKernel embeddingForward, embeddingBackwardPosition, embeddingBackwardToken;
    private readonly CudaKernel layerNormForward, layerNormBackwardInput, layerNormBackwardParams;
    private readonly CudaKernel geluForward, geluBackward, residualForward, biasBroadcast, biasBackward;
    private readonly CudaKernel permute, permuteBackward, unpermute, unpermuteBackward, softmaxForward, softmaxBackward;
    private readonly CudaKernel crossEntropyForward, crossEntropyBackward;

    internal Gpt2CudaKernels(CudaMemoryBackend backend, IStream stream)
    {
        this.stream = stream;
        modules = [.. Gpt2CudaSources.Names.Select(name => new CudaModule(backend, Gpt2CudaSources.Read($"{name}.ptx"), $"gpt2-cuda/{name}.ptx"))];
        embeddingForward = modules[0].Kernel("gpt2_embedding_forward");
        embeddingBackwardPosition = modules[0].Kernel("gpt2_embedding_backward_position");
        embeddingBackwardToken = modules[0].Kernel("gpt2_embedding_backward_token");
        layerNormForward = modules[1].Kernel("gpt2_layernorm_forward");
        layerNormBackwardInput = modules[1].Kernel("gpt2_layernorm_backward_input");
        layerNormBackwardParams = modules[1].Kernel("gpt2_layernorm_backward_params");
        geluForward = modules[2].Kernel("gpt2_gelu_forward");
        geluBackward = modules[2].Kernel("gpt2_gelu_backward");
        residualForward = modules[2].Kernel("gpt2_residual_forward");
        biasBroadcast = modules[2].Kernel("gpt2_bias_broadcast");
        biasBackward = modules[2].Kernel("gpt2_bias_backward");
        permute = modules[3].Kernel("gpt2_attention_permute");
        permuteBackward = modules[3].Kernel("gpt2_attention_permute_backward");
        unpermute = modules[3].Kernel("gpt2_attention_unpermute");
        unpermuteBackward = modules[3].Kernel("gpt2_attention_unpermute_backward");
        softmaxForward = modules[3].Kernel("gpt2_attention_softmax_forward");
        softmaxBackward = modules[3].Kernel("gpt2_attention_softmax_backward");
        crossEntropyForward = modules[4].Kernel("gpt2_crossentropy_forward");
        crossEntropyBackward = modules[4].Kernel("gpt2_crossentropy_backward");
    }

    internal void EmbeddingForward(DevicePointer<float> output, DevicePointer<int> tokens, DevicePointer<float> wte, DevicePointer<float> wpe, int n, int t, int c)
    {
        var a = new KernelArguments();
        a.Add(output); a.Add(tokens); a.Add(wte); a.Add(wpe); a.Add(n); a.Add(t); a.Add(c);
        Elementwise(embeddingForward, (long)n * c, a);
    }

    internal void EmbeddingBackward(DevicePointer<float> wteGrad, DevicePointer<float> wpeGrad, DevicePointer<float> outputGrad, DevicePointer<int> tokens, int n, int t, int c)
    {
        var a = new KernelArguments();
        a.Add(wpeGrad); a.Add(outputGrad); a.Add(n); a.Add(t); a.Add(c);
        Elementwise(embeddingBackwardPosition, (long)t * c, a);
        var b = new KernelArguments();
        b.Add(wteGrad); b.Add(outputGrad); b.Add(tokens); b.Add(n); b.Add(c);
        Elementwise(embeddingBackwardToken, (long)n * c, b);
    }

    internal void LayerNormForward(
        DevicePointer<float> output, DevicePointer<float> mean, DevicePointer<float> rstd, DevicePointer<float> input,
        DevicePointer<float> weight, DevicePointer<float> bias, int n, int c)
    {
        var a = new KernelArguments();
        a.Add(output); a.Add(mean); a.Add(rstd); a.Add(input); a.Add(weight); a.Add(bias); a.Add(n); a.Add(c);
        Warps(layerNormForward, n, a);
    }

    /// <summary>Adds the input gradient to <paramref name="inputGrad"/>; overwrites the weight and bias gradients.</summary>
    internal void LayerNormBackward(
        DevicePointer<float> inputGrad, DevicePointer<float> weightGrad, DevicePointer<float> biasGrad, DevicePointer<float> outputGrad,
        DevicePointer<float> input, DevicePointer<float> weight, DevicePointer<float> mean, DevicePointer<float> rstd, int n, int c)
    {
        var a = new KernelArguments();
        a.Add(inputGrad); a.Add(outputGrad); a.Add(input); a.Add(weight); a.Add(mean); a.Add(rstd); a.Add(n); a.Add(c);
        Warps(layerNormBackwardInput, n, a);
        var b = new KernelArguments();
        b.Add(weightGrad); b.Add(biasGrad); b.Add(outputGrad); b.Add(input); b.Add(mean); b.Add(rstd); b.Add(n); b.Add(c);
        Elementwise(layerNormBackwardParams, c, b);
    }

    internal void GeluForward(DevicePointer<float> output, DevicePointer<float> input)
    {
        var a = new KernelArguments();
        a.Add(output); a.Add(input); a.Add(input.Length);
        Elementwise(geluForward, input.Length, a);
    }

    internal void GeluBackward(DevicePointer<float> inputGrad, DevicePointer<float> outputGrad, DevicePointer<float> input)
    {
        var a = new KernelArguments();
        a.Add(inputGrad); a.Add(outputGrad); a.Add(input); a.Add(input.Length);
        Elementwise(geluBackward, input.Length, a);
    }

    internal void Add(DevicePointer<float> output, DevicePointer<float> left, DevicePointer<float> right)
    {
        var a = new KernelArguments();
        a.Add(output); a.Add(left); a.Add(right); a.Add(output.Length);
        Elementwise(residualForward, output.Length, a);
    }

    internal void BiasBroadcast(DevicePointer<float> output, DevicePointer<float> bias, int n, int oc)
    {
        var a = new KernelArguments();
        a.Add(output); a.Add(bias); a.Add(n); a.Add(oc);
        Elementwise(biasBroadcast, (long)n * oc, a);
    }

    internal void BiasBackward(DevicePointer<float> biasGrad, DevicePointer<float> outputGrad, int n, int oc)
    {
        var a = new KernelArguments();
        a.Add(biasGrad); a.Add(outputGrad); a.Add(n); a.Add(oc);
        Elementwise(biasBackward, oc, a);
    }

    internal void Permute(DevicePointer<float> q, DevicePointer<float> k, DevicePointer<float> v, DevicePointer<float> qkv, int b, int t, int h, int d, bool backward)
    {
        var a = new KernelArguments();
        if (backward)
        {
            a.Add(qkv); a.Add(q); a.Add(k); a.Add(v);
        }
        else
        {
            a.Add(q); a.Add(k); a.Add(v); a.Add(qkv);
        }

        a.Add(b); a.Add(t); a.Add(h); a.Add(d);
        Elementwise(backward ? permuteBackward : permute, (long)b * t * h * d, a);
    }

    internal void Unpermute(DevicePointer<float> destination, DevicePointer<float> source, int b, int t, int h, int d, bool backward)
    {
        var a = new KernelArguments();
        a.Add(destination); a.Add(source); a.Add(b); a.Add(t); a.Add(h); a.Add(d);
        Elementwise(backward ? unpermuteBackward : unpermute, (long)b * t * h * d, a);
    }

    internal void SoftmaxForward(DevicePointer<float> weights, DevicePointer<float> scores, float scale, int rows, int t)
    {
        var a = new KernelArguments();
        a.Add(weights); a.Add(scores); a.Add(scale); a.Add(rows); a.Add(t);
        PerRow(softmaxForward, rows, a);
    }

    internal void SoftmaxBackward(DevicePointer<float> scoresGrad, DevicePointer<float> weightsGrad, DevicePointer<float> weights, float scale, int rows, int t)
    {
        var a = new KernelArguments();
        a.Add(scoresGrad); a.Add(weightsGrad); a.Add(weights); a.Add(scale); a.Add(rows); a.Add(t);
        PerRow(softmaxBackward, rows, a);
    }

    internal void CrossEntropyForward(DevicePointer<float> probabilities, DevicePointer<float> losses, DevicePointer<float> logits, DevicePointer<int> targets, int n, int v)
    {
        var a = new KernelArguments();
        a.Add(probabilities); a.Add(losses); a.Add(logits); a.Add(targets); a.Add(n); a.Add(v);
        PerRow(crossEntropyForward, n, a);
    }

    internal void CrossEntropyBackward(DevicePointer<float> logitsGrad, DevicePointer<float> probabilities, DevicePointer<int> targets, int n, int v)
    {
        var a = new KernelArguments();
        a.Add(logitsGrad); a.Add(probabilities); a.Add(targets); a.Add(n); a.Add(v);
        Elementwise(crossEntropyBackward, (long)n * v, a);
    }

    public void Dispose()
    {
        foreach (CudaModule module in modules)
        {
            module.Dispose();
        }
    }

    // Grid-stride kernels: enough blocks to cover the items, capped so huge tensors loop instead of over-launching.
    private void Elementwise(CudaKernel kernel, long items, in KernelArguments arguments) =>
        kernel.Launch(new Dim3((uint)Math.Clamp((items + Threads - 1) / Threads, 1, 65_535)), Threads, arguments, stream);

    // One warp per row.
    private void Warps(CudaKernel kernel, int rows, in KernelArguments arguments) =>
        kernel.Launch(Dim3.Cover(rows * 32L, Threads), Threads, arguments, stream);

    // One block per row.
    private void PerRow(CudaKernel kernel, int rows, in KernelArguments arguments) =>
        kernel.Launch(new Dim3((uint)rows), Threads, arguments, stream);
}
