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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void MeanOfTheRanksGradients_EqualsTheGlobalBatchGradient(int worldSize)
    {
        const int globalBatch = 4;
        var sampler = new CharBatchSampler(Enumerable.Range(0, 40).Select(i => i * 3 % Tiny.VocabularySize).ToArray(), Tiny.SequenceLength, globalBatch, seed: 8);
        var full = new Gpt2Harness(Tiny, globalBatch);
        var random = new SplitMix64(4);
        FillRandom(full.Parameters.Values, ref random);
        var tokens = new int[globalBatch * Tiny.SequenceLength];
        var targets = new int[tokens.Length];
        sampler.Fill(0, 0, 1, tokens, targets);
        full.Forward(tokens, targets);
        full.Backward();

        var sum = new double[full.Grads.Values.Length];
        var rank = new Gpt2Harness(Tiny, globalBatch / worldSize);
        full.Parameters.Values.CopyTo(rank.Parameters.Values);
        var rankTokens = new int[tokens.Length / worldSize];
        var rankTargets = new int[rankTokens.Length];
        for (int r = 0; r < worldSize; r++)
        {
            sampler.Fill(0, r, worldSize, rankTokens, rankTargets);
            rank.Forward(rankTokens, rankTargets);
            rank.Backward();
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += rank.Grads.Values[i];
            }
        }

        for (int i = 0; i < sum.Length; i++)
        {
            Assert.Equal(full.Grads.Values[i], sum[i] / worldSize, 1e-5);
        }
    }

    private static Gpt2Harness RandomHarness(out int[] tokens, out int[] targets)
    {
        var harness = new Gpt2Harness(Tiny, Batch);
        var random = new SplitMix64(42);
        FillRandom(harness.Parameters.Values, ref random);

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

    private static void FillRandom(Span<float> values, ref SplitMix64 random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(0.3 * random.NextNormal());
        }
    }
}
