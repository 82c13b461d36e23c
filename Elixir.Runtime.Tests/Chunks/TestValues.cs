using Elixir.Numerics;

namespace Elixir.Tests.Chunks;

/// <summary>Test values chosen to be exact in fp32, fp16 and bf16 (small multiples of 1/8).</summary>
internal static class TestValues
{
    public static float Parameter(int tensor, long i) => ((tensor * 31 + i * 7) % 13) / 8f - 0.75f;

    public static float Gradient(int rank, int tensor, long i) => ((rank + 1) * (i % 5) + tensor - rank) / 4f;

    public static T To<T>(float value) where T : unmanaged =>
        typeof(T) == typeof(float) ? (T)(object)value
        : typeof(T) == typeof(Half) ? (T)(object)(Half)value
        : (T)(object)BFloat16.FromSingle(value);

    public static float ToFloat<T>(T value) where T : unmanaged => value switch
    {
        float f => f,
        Half h => (float)h,
        BFloat16 b => b.ToSingle(),
        _ => throw new NotSupportedException(typeof(T).Name),
    };
}
