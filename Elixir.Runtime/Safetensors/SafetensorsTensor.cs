namespace Elixir.Safetensors;

/// <summary>A tensor to write: its name, safetensors dtype name, shape and raw little-endian bytes.</summary>
/// <param name="Name">The key the tensor gets in the header.</param>
/// <param name="DType">The safetensors dtype name (<c>F32</c>, <c>F16</c>, <c>BF16</c>, ...).</param>
/// <param name="Shape">The dimensions; their product times the element size must equal the data length.</param>
/// <param name="Data">The tensor's bytes.</param>
public sealed record SafetensorsTensor(string Name, string DType, IReadOnlyList<long> Shape, ReadOnlyMemory<byte> Data);
