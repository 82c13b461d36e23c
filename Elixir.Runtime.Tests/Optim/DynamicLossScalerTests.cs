using Elixir.Optim;

namespace Elixir.Runtime.Tests.Optim;

public sealed class DynamicLossScalerTests
{
    private static readonly LossScalerOptions Small = new(
        InitialScale: 8f, GrowthFactor: 2f, BackoffFactor: 0.5f, GrowthInterval: 3, Hysteresis: 2, MinScale: 2f, MaxScale: 32f);

    // (overflow, expected scale after the update) worked out by hand from the rules: growth after 3 clean steps,
    // back-off from the 2nd overflow since the last growth on, clamps at 2 and 32.
    private static readonly (bool Overflow, float Scale)[] Table =
    [
        (false, 8), (false, 8), (false, 16),           // grows after the interval
        (true, 16),                                    // 1st overflow: hysteresis absorbs it
        (true, 8), (true, 4), (true, 2), (true, 2),    // 2nd overflow on: backs off each time, clamped at the minimum
        (false, 2), (false, 2), (false, 4),            // growth resets the hysteresis count
        (false, 4), (false, 4), (false, 8),
        (false, 8), (false, 8), (false, 16),
        (false, 16), (false, 16), (false, 32),
        (false, 32), (false, 32), (false, 32),         // clamped at the maximum
        (true, 32),                                    // hysteresis again
        (false, 32),                                   // a clean step resets growth but not the hysteresis count
        (true, 16),                                    // so this overflow backs off
    ];

    [Fact]
    public void Update_FollowsTheHandWrittenTable()
    {
        var scaler = new DynamicLossScaler(Small);

        for (int step = 0; step < Table.Length; step++)
        {
            bool skip = scaler.Update(Table[step].Overflow);

            Assert.Equal(Table[step].Overflow, skip);
            Assert.True(Table[step].Scale == scaler.Scale, $"step {step}: expected {Table[step].Scale}, got {scaler.Scale}");
        }
    }

    [Fact]
    public void NullBounds_DisableTheClamps()
    {
        var scaler = new DynamicLossScaler(Small with { MinScale = null, MaxScale = null, Hysteresis = 0, GrowthInterval = 1 });

        scaler.Update(false);
        scaler.Update(false);
        scaler.Update(false);
        Assert.Equal(64f, scaler.Scale);
        for (int i = 0; i < 10; i++)
        {
            scaler.Update(true);
        }

        Assert.Equal(0.0625f, scaler.Scale);
    }

    [Fact]
    public void RestoredState_ContinuesExactly()
    {
        var original = new DynamicLossScaler(Small);
        var restored = new DynamicLossScaler(Small);
        original.Update(false);
        original.Update(true);

        restored.Restore(original.State);
        original.Update(true);
        restored.Update(true);

        Assert.Equal(original.State, restored.State);
        Assert.Equal(new LossScalerState(4f, 0, 2), restored.State);
    }

    [Fact]
    public void Restore_WithABadScale_ThrowsAndKeepsTheState()
    {
        var scaler = new DynamicLossScaler(Small);

        Assert.Throws<ArgumentOutOfRangeException>(() => scaler.Restore(new LossScalerState(float.NaN, 0, 0)));
        Assert.Equal(new LossScalerState(8f, 0, 0), scaler.State);
    }

    public static TheoryData<LossScalerOptions, string> BadOptions => new()
    {
        { Small with { InitialScale = 0f }, "InitialScale" },
        { Small with { GrowthFactor = 1f }, "GrowthFactor" },
        { Small with { BackoffFactor = 1f }, "BackoffFactor" },
        { Small with { GrowthInterval = 0 }, "GrowthInterval" },
        { Small with { Hysteresis = -1 }, "Hysteresis" },
        { Small with { MinScale = 16f }, "MinScale" },
        { Small with { MaxScale = 4f }, "MaxScale" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void InvalidOptions_ThrowNamingTheSetting(LossScalerOptions options, string setting)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DynamicLossScaler(options));

        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void Update_AllocatesNothing()
    {
        var scaler = new DynamicLossScaler(Small);
        scaler.Update(false);
        scaler.Update(true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            scaler.Update(i % 7 == 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
