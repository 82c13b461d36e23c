using Elixir.Samples.Data;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

public sealed class Gpt2TrainingTests
{
    private const int Batch = 8;
    private const ulong Seed = 5;
    private const float LearningRate = 0.3f;

    [Fact]
    public void PlainGradientDescent_MakesTheLossFallOnTheSampleCorpus()
    {
        var (losses, vocabulary) = Train(steps: 200);
        // Small initial weights give nearly uniform predictions: a loss of ln V.
        Assert.Equal(Math.Log(vocabulary), losses[0], 0.3);
        double first = losses.Take(10).Average();
        double last = losses.TakeLast(10).Average();
        Assert.True(last < 0.8 * first, $"mean loss of the first 10 steps {first}, of the last 10 {last}");
    }

    [Fact]
    public void TheSameSeed_GivesTheSameLossesBitForBit()
    {
        var (first, _) = Train(steps: 15);
        var (second, _) = Train(steps: 15);
        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void ATrainingStepAfterWarmUp_AllocatesNothing()
    {
        var (harness, sampler, inputs, targets) = Setup();
        for (int step = 0; step < 2; step++)
        {
            sampler.Fill(step, 0, 1, inputs, targets);
            harness.Step(inputs, targets, LearningRate);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        sampler.Fill(2, 0, 1, inputs, targets);
        harness.Step(inputs, targets, LearningRate);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void GradientsWrittenOverTheirOwnParameters_EqualGradientsInASeparateBuffer()
    {
        var (separate, sampler, inputs, targets) = Setup();
        var (aliased, _, _, _) = Setup();
        sampler.Fill(0, 0, 1, inputs, targets);
        separate.Forward(inputs, targets);
        separate.Backward();

        aliased.Forward(inputs, targets);
        var model = aliased.Model;
        var p = aliased.Parameters;
        model.HeadBackward(p.FinalNorm, p.Embeddings, p.FinalNorm, p.Embeddings);
        for (int layer = p.Config.Layers - 1; layer >= 0; layer--)
        {
            model.BlockBackward(layer, p.Block(layer), p.Block(layer));
        }

        model.EmbeddingBackward(p.Embeddings);
        Assert.Equal(separate.Grads.Values.ToArray(), p.Values.ToArray());
    }

    private static (float[] Losses, int Vocabulary) Train(int steps)
    {
        var (harness, sampler, inputs, targets) = Setup();
        var losses = new float[steps];
        for (int step = 0; step < steps; step++)
        {
            sampler.Fill(step, 0, 1, inputs, targets);
            losses[step] = harness.Step(inputs, targets, LearningRate);
        }

        return (losses, harness.Model.Config.VocabularySize);
    }

    private static (Gpt2Harness, CharBatchSampler, int[], int[]) Setup()
    {
        var tokenizer = CharTokenizer.FromText(SampleText.Default);
        var config = new Gpt2Config(tokenizer.VocabularySize, SequenceLength: 16, Channels: 32, Layers: 1, Heads: 2);
        var harness = new Gpt2Harness(config, Batch);
        harness.Parameters.Initialize(Seed);
        var sampler = new CharBatchSampler(tokenizer.Encode(SampleText.Default), config.SequenceLength, Batch, Seed);
        var inputs = new int[Batch * config.SequenceLength];
        return (harness, sampler, inputs, new int[inputs.Length]);
    }
}
