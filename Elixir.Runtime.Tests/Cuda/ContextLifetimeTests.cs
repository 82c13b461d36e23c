using Elixir.Cuda;
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

    [Fact]
    public void An_explicit_dispose_the_driver_refuses_throws_naming_the_call_and_the_handle_stays_closed()
    {
        var driver = new FakeDriver { DestroyResult = CUresult.CUDA_ERROR_INVALID_VALUE };
        var handle = new FakeHandle(new ContextLifetime(Context, driver.SetCurrent), 0x30, driver);

        var error = Assert.Throws<CudaException>(handle.Dispose);

        Assert.Equal("cuFakeDestroy(0x30)", error.Call);
        Assert.Equal((int)CUresult.CUDA_ERROR_INVALID_VALUE, error.Code);
        Assert.True(handle.IsClosed);
        handle.Dispose();
        Assert.Equal([(nint)0x30], driver.Destroyed);
    }

    [Fact]
    public void An_explicit_dispose_that_cannot_make_the_context_current_throws_and_frees_nothing()
    {
        var driver = new FakeDriver { SetCurrentResult = CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED };
        var handle = new FakeHandle(new ContextLifetime(Context, driver.SetCurrent), 0x40, driver);

        var error = Assert.Throws<CudaException>(handle.Dispose);

        Assert.Equal("cuCtxSetCurrent", error.Call);
        Assert.Empty(driver.Destroyed);
    }

    private sealed class FakeDriver
    {
        internal List<nint> Destroyed { get; } = [];

        internal List<nint> MadeCurrent { get; } = [];

        internal CUresult SetCurrentResult { get; init; } = CUresult.CUDA_SUCCESS;

        internal CUresult DestroyResult { get; init; } = CUresult.CUDA_SUCCESS;

        internal CUresult SetCurrent(nint context)
        {
            MadeCurrent.Add(context);
            return SetCurrentResult;
        }
    }

    private sealed class FakeHandle(ContextLifetime lifetime, nint value, FakeDriver driver) : ContextBoundHandle(lifetime, value)
    {
        protected override string DestroyCall => "cuFakeDestroy";

        protected override CUresult Destroy(nint value)
        {
            driver.Destroyed.Add(value);
            return driver.DestroyResult;
        }
    }
}
