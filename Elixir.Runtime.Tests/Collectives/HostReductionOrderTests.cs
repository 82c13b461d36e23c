using Elixir.Collectives;
using Elixir.Collectives.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;

namespace Elixir.Tests.Collectives;

/// <summary>
/// The host collectives reduce in rank order 0..N-1 whatever order the ranks arrive in. The values are chosen so
/// that float addition gives a different answer in another order, and the ranks arrive after random delays.
/// </summary>
public sealed class HostReductionOrderTests
{
    private const int Count = 2051; // one whole reduction tile, another and a tail
    private const int Rounds = 12;
    private static readonly float[] Pattern = [1e8f, 3f, -1e8f, 5f, 0.5f, -7f, 2.5e7f];
    private static readonly double[] ScalarPattern = [1e16, 1, -1e16, 3];
    private static readonly LocalClusterOptions Checked = new() { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(20) };

    private static float Value(int rank, int i) => Pattern[(i + 3 * rank) % Pattern.Length];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Sums_AreFoldedInRankOrder_WhateverOrderRanksArrive(int worldSize)
    {
        float[] sum = new float[Count];
        float[] reverse = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            for (int r = 0; r < worldSize; r++)
            {
                sum[i] += Value(r, i);
                reverse[i] += Value(worldSize - 1 - r, i);
            }
        }

        double scalar = 0;
        for (int r = 0; r < worldSize; r++)
        {
            scalar += ScalarPattern[r];
        }

        if (worldSize == 4)
        {
            Assert.False(sum.AsSpan().SequenceEqual(reverse), "the values do not tell rank order from reverse order");
            Assert.NotEqual(ScalarPattern[3] + ScalarPattern[2] + ScalarPattern[1] + ScalarPattern[0], scalar);
        }

        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            int r = comm.Rank;
            var random = new Random(100 + r);
            using var full = backend.Allocate(Count * worldSize * sizeof(float), MemoryLocation.Device);
            using var buffer = backend.Allocate(Count * sizeof(float), MemoryLocation.Device);
            using var part = backend.Allocate(Count * sizeof(float), MemoryLocation.Device);
            for (int round = 0; round < Rounds; round++)
            {
                Fill(buffer.All.AsSpan<float>(), r);
                Thread.Sleep(random.Next(3));
                comm.AllReduce(buffer.All, buffer.All, DType.Float32, ReduceOp.Sum);
                AssertBits(sum, buffer.All.AsSpan<float>(), 1f);

                for (int k = 0; k < worldSize; k++)
                {
                    Fill(full.Slice((long)k * Count * sizeof(float), Count * sizeof(float)).AsSpan<float>(), r);
                }

                Thread.Sleep(random.Next(3));
                comm.ReduceScatter(full.All, part.All, DType.Float32, ReduceOp.Average);
                AssertBits(sum, part.All.AsSpan<float>(), worldSize);

                Thread.Sleep(random.Next(3));
                Assert.Equal(BitConverter.DoubleToInt64Bits(scalar), BitConverter.DoubleToInt64Bits(comm.AllReduce(ScalarPattern[r], ReduceOp.Sum)));
            }
        }, Checked);
        Assert.Equal(0, backend.LiveBuffers);
    }

    private static void Fill(Span<float> values, int rank)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Value(rank, i);
        }
    }

    private static void AssertBits(float[] sum, ReadOnlySpan<float> actual, float divisor)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            float expected = sum[i] / divisor;
            if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"element {i}: expected {expected} (the rank-order sum), got {actual[i]}");
            }
        }
    }
}
