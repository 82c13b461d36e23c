using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Planning;

namespace Elixir.Tests.Memory;

/// <summary>
/// The plan is the memory: over dtype × offload × prefetch × accumulation × world size × model, every rank's
/// measured peak at each location is at most the planned one and within 2 % of it, for training, construction and a
/// consolidated checkpoint save; and the steady state matches the plan category by category.
/// </summary>
public sealed class EngineMemoryMatrixTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.02;

    public static TheoryData<DType, bool, bool, int, int, string> Matrix()
    {
        var data = new TheoryData<DType, bool, bool, int, int, string>();
        foreach (var type in (DType[])[DType.Float32, DType.Float16, DType.BFloat16])
        {
            foreach (bool offload in (bool[])[false, true])
            {
                foreach (bool prefetch in (bool[])[false, true])
                {
                    foreach (int accumulation in (int[])[1, 2])
                    {
                        foreach (int worldSize in (int[])[1, 2, 4])
                        {
                            foreach (string model in (string[])[EngineMemoryRun.Mlp, EngineMemoryRun.Gpt2])
                            {
                                data.Add(type, offload, prefetch, accumulation, worldSize, model);
                            }
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void MeasuredPeaks_AreThePlannedOnes(DType type, bool offload, bool prefetch, int accumulation, int worldSize, string model)
    {
        var options = EngineMemoryRun.Options(type, offload, prefetch, accumulation);
        var ranks = EngineMemoryRun.Run(model, worldSize, options, EngineMemoryRun.PlanOptions(model, options));
        double largest = 0;
        foreach (var (plan, peaks) in ranks)
        {
            var memory = plan.Memory;
            foreach (var location in (MemoryLocation[])[MemoryLocation.Device, MemoryLocation.Host])
            {
                bool device = location == MemoryLocation.Device;
                largest = Math.Max(largest, Check($"training {location}", memory.Steady(location), device ? peaks.Training.Device : peaks.Training.Host));
                largest = Math.Max(largest, Check($"construction {location}", memory.Construction(location),
                    device ? peaks.Construction.Device : peaks.Construction.Host));
                largest = Math.Max(largest, Check($"checkpoint save {location}", memory.CheckpointSave(location),
                    device ? peaks.CheckpointSave.Device : peaks.CheckpointSave.Host));
                foreach (var category in MemoryCategories.All)
                {
                    Assert.True(peaks.TrainingByCategory[EngineMemoryRun.Index(location, category)] <= memory.Steady(location, category),
                        $"{category} at {location}: measured {peaks.TrainingByCategory[EngineMemoryRun.Index(location, category)]} > planned {memory.Steady(location, category)}");
                }

                Assert.Equal(0, peaks.TrainingByCategory[EngineMemoryRun.Index(location, MemoryCategory.Other)]);
            }
        }

        output.WriteLine($"largest gap {largest:P3}");
    }

    private static double Check(string what, long planned, long measured)
    {
        Assert.True(measured <= planned, $"{what}: measured peak {measured} bytes is above the planned {planned}");
        double gap = planned == 0 ? 0 : (double)(planned - measured) / planned;
        Assert.True(gap <= Tolerance, $"{what}: planned {planned} bytes, measured {measured}: {gap:P2} unused");
        return gap;
    }
}
