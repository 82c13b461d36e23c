using Elixir.Interop;

namespace Elixir.Runtime.Tests.Cuda;

/// <summary>Handles tied to a context lifetime, with a fake driver: no GPU needed.</summary>
public sealed class ContextLifetimeTests
{
    private const nint Context = 0x7f00_1234;

    [Fact]
    public void A_handle_of_a_destroyed_context_never_frees_even_when_the_same_context_value_is_live_again()
    {
        var driver = new FakeDriver();
        var first = new ContextLifetime(Context, driver.SetCurrent);
        var leaked = new FakeHandle(first, 0x10, driver);
        first.End();
        var second = new ContextLifetime(Context, driver.SetCurrent);
        using var live = new FakeHandle(second, 0x10, driver);

        leaked.Dispose();

        Assert.Empty(driver.Destroyed);
        Assert.Empty(driver.MadeCurrent);
        Assert.True(second.IsAlive);
    }

    [Fact]
    public void A_handle_of_a_live_context_makes_it_current_and_frees_once()
    {
        var driver = new FakeDriver();
        var lifetime = new ContextLifetime(Context, driver.SetCurrent);
        var handle = new FakeHandle(lifetime, 0x20, driver);

        handle.Dispose();
        handle.Dispose();

        Assert.Equal([(nint)0x20], driver.Destroyed);
        Assert.Equal([Context], driver.MadeCurrent);
    }

    private sealed class FakeDriver
    {
        internal List<nint> Destroyed { get; } = [];

        internal List<nint> MadeCurrent { get; } = [];

        internal CUresult SetCurrent(nint context)
        {
            MadeCurrent.Add(context);
            return CUresult.CUDA_SUCCESS;
        }
    }

    private sealed class FakeHandle(ContextLifetime lifetime, nint value, FakeDriver driver) : ContextBoundHandle(lifetime, value)
    {
        protected override CUresult Destroy(nint value)
        {
            driver.Destroyed.Add(value);
            return CUresult.CUDA_SUCCESS;
        }
    }
}
