using Elixir.Samples.Data;

namespace Elixir.Runtime.Tests.Samples;

public sealed class BatchSamplerTests
{
    private const int GlobalBatch = 8;
    private const int Tokens = 6;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void RankSlices_ConcatenateToTheSingleRankBatch(int worldSize)
    {
        var sampler = new CharBatchSampler(Corpus(), Tokens, GlobalBatch, seed: 11);
        var whole = Draw(sampler, step: 3, rank: 0, worldSize: 1);
        var joined = new List<int>();
        for (int rank = 0; rank < worldSize; rank++)
        {
            joined.AddRange(Draw(sampler, step: 3, rank, worldSize).Inputs);
        }

        Assert.Equal(whole.Inputs, joined);
    }

    [Fact]
    public void EverySample_IsAWindowOfTheCorpus_WithTargetsShiftedByOne()
    {
        var corpus = Corpus();
        var sampler = new CharBatchSampler(corpus, Tokens, GlobalBatch, seed: 11);
        var (inputs, targets) = Draw(sampler, step: 5, rank: 1, worldSize: 2);
        for (int sample = 0; sample < GlobalBatch / 2; sample++)
        {
            var window = inputs.AsSpan(sample * Tokens, Tokens).ToArray().Append(targets[(sample + 1) * Tokens - 1]).ToArray();
            Assert.True(ContainsWindow(corpus, window), $"sample {sample} is not a window of the corpus");
            Assert.Equal(inputs.AsSpan(sample * Tokens + 1, Tokens - 1).ToArray(), targets.AsSpan(sample * Tokens, Tokens - 1).ToArray());
        }
    }

    [Fact]
    public void SameSeedAndStep_GiveTheSameBatch_OtherStepsDiffer()
    {
        var first = new CharBatchSampler(Corpus(), Tokens, GlobalBatch, seed: 11);
        var second = new CharBatchSampler(Corpus(), Tokens, GlobalBatch, seed: 11);
        Assert.Equal(Draw(first, 2, 0, 1).Inputs, Draw(second, 2, 0, 1).Inputs);
        Assert.NotEqual(Draw(first, 2, 0, 1).Inputs, Draw(first, 3, 0, 1).Inputs);
    }

    [Fact]
    public void AGlobalBatchThatDoesNotDivide_IsRejectedWithTheNumbers()
    {
        var sampler = new CharBatchSampler(Corpus(), Tokens, globalBatch: 6, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => sampler.Fill(0, 0, 4, new int[6], new int[6]));
        Assert.Contains("Global batch 6", error.Message);
        Assert.Contains("4 ranks", error.Message);
    }

    [Fact]
    public void ARankOutsideTheWorld_AndWrongBufferSizes_AreRejected()
    {
        var sampler = new CharBatchSampler(Corpus(), Tokens, GlobalBatch, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Fill(0, 2, 2, new int[24], new int[24]));
        var error = Assert.Throws<ArgumentException>(() => sampler.Fill(0, 0, 2, new int[24], new int[23]));
        Assert.Contains("24", error.Message);
        Assert.Contains("23", error.Message);
    }

    [Fact]
    public void ACorpusShorterThanOneWindow_IsRejected() =>
        Assert.Throws<ArgumentException>(() => new CharBatchSampler(new int[Tokens + 1], Tokens, GlobalBatch, seed: 1));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void RegressionRankSlices_ConcatenateToTheSingleRankBatch(int worldSize)
    {
        var sampler = new RegressionBatchSampler(inputs: 3, outputs: 2, GlobalBatch, seed: 5);
        var wholeInputs = new float[GlobalBatch * 3];
        var wholeTargets = new float[GlobalBatch * 2];
        sampler.Fill(4, 0, 1, wholeInputs, wholeTargets);
        var inputs = new List<float>();
        var targets = new List<float>();
        int share = GlobalBatch / worldSize;
        for (int rank = 0; rank < worldSize; rank++)
        {
            var x = new float[share * 3];
            var y = new float[share * 2];
            sampler.Fill(4, rank, worldSize, x, y);
            inputs.AddRange(x);
            targets.AddRange(y);
        }

        Assert.Equal(wholeInputs, inputs);
        Assert.Equal(wholeTargets, targets);
    }

    private static int[] Corpus()
    {
        // A stream with few repeats, so a window identifies its position.
        var random = new SplitMix64(99);
        return Enumerable.Range(0, 500).Select(_ => random.NextInt(50)).ToArray();
    }

    private static (int[] Inputs, int[] Targets) Draw(CharBatchSampler sampler, long step, int rank, int worldSize)
    {
        int count = GlobalBatch / worldSize * Tokens;
        var inputs = new int[count];
        var targets = new int[count];
        sampler.Fill(step, rank, worldSize, inputs, targets);
        return (inputs, targets);
    }

    private static bool ContainsWindow(int[] corpus, int[] window)
    {
        for (int start = 0; start + window.Length <= corpus.Length; start++)
        {
            if (corpus.AsSpan(start, window.Length).SequenceEqual(window))
            {
                return true;
            }
        }

        return false;
    }
}
