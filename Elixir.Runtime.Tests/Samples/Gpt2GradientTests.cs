using Elixir.Samples.Data;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

public sealed class Gpt2GradientTests
{
    private static readonly Gpt2Config Tiny = new(VocabularySize: 7, SequenceLength: 5, Channels: 8, Layers: 2, Heads: 2);
    private const int Batch = 2;
    private const float Epsilon = 1e-2f;

    [Fact]
    public void EveryLayersBackward_MatchesCentralFiniteDifferences()
    {
        var harness = RandomHarness(out var tokens, out var targets);
        harness.Grads.Values.Fill(float.NaN); // Any gradient a backward call fails to write stays NaN and fails below.
        harness.Forward(tokens, targets);
        harness.Backward();
        var analytic = harness.Grads.Values.ToArray();

        var values = harness.Parameters.Values;
        foreach (var (name, start, length) in TensorNames.Gpt2(Tiny))
        {
            double largest = 0;
            for (int i = start; i < start + length; i++)
            {
                float saved = values[i];
                values[i] = saved + Epsilon;
                double plus = harness.Forward(tokens, targets);
                values[i] = saved - Epsilon;
                double minus = harness.Forward(tokens, targets);
                values[i] = saved;
                double numeric = (plus - minus) / (2 * Epsilon);
                largest = Math.Max(largest, Math.Abs(numeric));
                double error = Math.Abs(analytic[i] - numeric);
                Assert.True(error <= 2e-5 + 1e-3 * Math.Abs(numeric),
                    $"{name}[{i - start}]: backward {analytic[i]}, finite difference {numeric}");
            }

            Assert.True(largest > 1e-3, $"{name}: every finite difference is below 1e-3, so the check would be vacuous");
        }
    }

    [Fact]
    public void MeanOfTwoHalfBatchGradients_EqualsTheFullBatchGradient()
    {
        var full = RandomHarness(out var tokens, out var targets);
        full.Forward(tokens, targets);
        full.Backward();

        int half = Tiny.SequenceLength * Batch / 2;
        var sum = new double[full.Grads.Values.Length];
        for (int part = 0; part < 2; part++)
        {
            var halfHarness = new Gpt2Harness(Tiny, Batch / 2);
            full.Parameters.Values.CopyTo(halfHarness.Parameters.Values);
            halfHarness.Forward(tokens.AsSpan(part * half, half), targets.AsSpan(part * half, half));
            halfHarness.Backward();
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += halfHarness.Grads.Values[i];
            }
        }

        for (int i = 0; i < sum.Length; i++)
        {
            Assert.Equal(full.Grads.Values[i], sum[i] / 2, 1e-5);
        }
    }

    private static Gpt2Harness RandomHarness(out int[] tokens, out int[] targets)
    {
        var harness = new Gpt2Harness(Tiny, Batch);
        var random = new SplitMix64(42);
        var values = harness.Parameters.Values;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(0.3 * random.NextNormal());
        }

        int rows = Batch * Tiny.SequenceLength;
        tokens = new int[rows];
        targets = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            tokens[i] = random.NextInt(Tiny.VocabularySize);
            targets[i] = random.NextInt(Tiny.VocabularySize);
        }

        return harness;
    }
}
