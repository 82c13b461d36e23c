using Elixir.Numerics;

namespace Elixir.Safetensors;

/// <summary>Element sizes of the dtype names the safetensors format defines.</summary>
public static class SafetensorsDTypes
{
    /// <summary>The size in bytes of one element of <paramref name="name"/>, or 0 when the name is not a safetensors dtype.</summary>
    public static int SizeOf(string name) => name switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" => 8,
        _ => 0,
    };

    /// <summary>The <see cref="DType"/> named <paramref name="name"/>, when it is one the runtime trains in.</summary>
    public static bool TryParse(string name, out DType type)
    {
        switch (name)
        {
            case "F32": type = DType.Float32; return true;
            case "F16": type = DType.Float16; return true;
            case "BF16": type = DType.BFloat16; return true;
            default: type = default; return false;
        }
    }
}
