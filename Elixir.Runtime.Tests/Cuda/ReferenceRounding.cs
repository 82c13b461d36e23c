namespace Elixir.Runtime.Tests.Cuda;

/// <summary>Round-to-nearest-even narrowing written out bit by bit, independent of the runtime's conversions.</summary>
internal static class ReferenceRounding
{
    internal static ushort ToBFloat16Bits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        uint roundingBias = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    internal static float FromBFloat16Bits(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    internal static float RoundToBFloat16(float value) => FromBFloat16Bits(ToBFloat16Bits(value));

    internal static float RoundToHalf(float value) => (float)(Half)value;
}
