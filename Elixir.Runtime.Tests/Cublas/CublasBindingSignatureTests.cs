using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Elixir.Interop;

namespace Elixir.Runtime.Tests.Cublas;

/// <summary>
/// Pins every cuBLAS <c>[LibraryImport]</c> to its prototype in <c>cublas_api.h</c>, as the driver and NCCL
/// bindings are pinned: the table below (exported symbol and managed types, checked on every machine), and,
/// where the header is installed (Debian's CUDA toolkit puts it in /usr/include), each prototype read from the
/// header itself with every parameter's width compared, and every enum value the runtime passes compared with
/// the header's. Widths: pointers, handles, <c>size_t</c> and <c>long long</c> are 8 bytes; <c>int</c> and the
/// enums are 4. A binding added without an entry here fails.
/// </summary>
public sealed partial class CublasBindingSignatureTests
{
    private static readonly Dictionary<string, string> Expected = new()
    {
        // cublasStatus_t cublasCreate_v2(cublasHandle_t* handle)
        ["cublasCreate_v2"] = "cublasStatus_t(out nint)",
        // cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
        ["cublasDestroy_v2"] = "cublasStatus_t(nint)",
        // cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int* version)
        ["cublasGetVersion_v2"] = "cublasStatus_t(nint, out int)",
        // cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
        ["cublasSetStream_v2"] = "cublasStatus_t(nint, nint)",
        // const char* cublasGetStatusString(cublasStatus_t status)
        ["cublasGetStatusString"] = "nint(cublasStatus_t)",
        // cublasStatus_t cublasGemmEx(handle, transa, transb, int m, int n, int k, const void* alpha, const void* A,
        //     cudaDataType Atype, int lda, const void* B, cudaDataType Btype, int ldb, const void* beta, void* C,
        //     cudaDataType Ctype, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo)
        ["cublasGemmEx"] =
            "cublasStatus_t(nint, cublasOperation_t, cublasOperation_t, int, int, int, float*, ulong, cudaDataType, int, ulong, cudaDataType, int, "
            + "float*, ulong, cudaDataType, int, cublasComputeType_t, cublasGemmAlgo_t)",
        // cublasStatus_t cublasGemmStridedBatchedEx(handle, transa, transb, int m, int n, int k, const void* alpha,
        //     const void* A, cudaDataType Atype, int lda, long long int strideA, const void* B, cudaDataType Btype, int ldb,
        //     long long int strideB, const void* beta, void* C, cudaDataType Ctype, int ldc, long long int strideC,
        //     int batchCount, cublasComputeType_t computeType, cublasGemmAlgo_t algo)
        ["cublasGemmStridedBatchedEx"] =
            "cublasStatus_t(nint, cublasOperation_t, cublasOperation_t, int, int, int, float*, ulong, cudaDataType, int, long, ulong, cudaDataType, int, long, "
            + "float*, ulong, cudaDataType, int, long, int, cublasComputeType_t, cublasGemmAlgo_t)",
    };

    private static IEnumerable<(MethodInfo Method, LibraryImportAttribute Import)> Bindings() =>
        from method in typeof(Elixir.Interop.Cublas).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
        let import = method.GetCustomAttribute<LibraryImportAttribute>()
        where import is not null
        select (method, import);

    [Fact]
    public void Every_binding_matches_the_table()
    {
        var actual = Bindings().ToDictionary(b => b.Import.EntryPoint!, b => Signature(b.Method));

        Assert.Equal(Expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_binding_imports_from_cublas_with_an_explicit_entry_point()
    {
        foreach ((MethodInfo method, LibraryImportAttribute import) in Bindings())
        {
            Assert.Equal("libcublas.so", import.LibraryName);
            Assert.False(string.IsNullOrEmpty(import.EntryPoint), $"{method.Name} has no EntryPoint.");
        }
    }

    [Fact]
    public void Every_binding_has_the_parameter_widths_of_its_prototype_in_cublas_api_h()
    {
        string header = Header();
        foreach ((MethodInfo method, LibraryImportAttribute import) in Bindings())
        {
            Match prototype = Regex.Match(header, $@"CUBLASAPI\s+(?<ret>[\w\s\*]+?)\s*CUBLASWINAPI\s+{import.EntryPoint}\s*\((?<params>[^)]*)\)");
            Assert.True(prototype.Success, $"{import.EntryPoint} is not declared in cublas_api.h.");
            string[] parameters = [.. StripComments(prototype.Groups["params"].Value).Split(',').Select(p => p.Trim()).Where(p => p.Length > 0 && p != "void")];
            int[] native = [.. parameters.Select(CWidth)];
            int[] managed = [.. method.GetParameters().Select(p => ManagedWidth(p.ParameterType))];

            Assert.True(native.SequenceEqual(managed),
                $"{import.EntryPoint}: header widths [{string.Join(", ", native)}] ({string.Join(", ", parameters)}), binding widths [{string.Join(", ", managed)}].");
            Assert.Equal(CWidth(prototype.Groups["ret"].Value.Trim()), ManagedWidth(method.ReturnType));
        }
    }

    [Theory]
    [InlineData(typeof(cublasStatus_t), "cublas_api.h")]
    [InlineData(typeof(cublasOperation_t), "cublas_api.h")]
    [InlineData(typeof(cublasComputeType_t), "cublas_api.h")]
    [InlineData(typeof(cublasGemmAlgo_t), "cublas_api.h")]
    [InlineData(typeof(cudaDataType), "library_types.h")]
    public void Every_enum_value_is_the_headers(Type type, string file)
    {
        string header = Header(file);
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(type));
        foreach (object value in Enum.GetValues(type))
        {
            Match declared = Regex.Match(header, $@"\b{value}\s*=\s*(?<n>-?\d+)");
            Assert.True(declared.Success, $"{value} is not declared in {file}.");
            Assert.Equal(int.Parse(declared.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), (int)value);
        }
    }

    private static string Header(string file = "cublas_api.h")
    {
        string? folder = new[] { Environment.GetEnvironmentVariable("CUDA_HOME"), "/usr/local/cuda", "/usr" }
            .Where(root => !string.IsNullOrEmpty(root))
            .Select(root => Path.Combine(root!, "include"))
            .FirstOrDefault(include => File.Exists(Path.Combine(include, file)));
        Assert.SkipWhen(folder is null, $"{file} is not installed (CUDA_HOME/include, /usr/local/cuda/include, /usr/include); the table above still pins the bindings.");
        return File.ReadAllText(Path.Combine(folder!, file));
    }

    private static string StripComments(string text) => CommentPattern().Replace(text, " ");

    /// <summary>The width of a C parameter or return type as cublas_api.h writes it (the parameter name, if any, last).</summary>
    private static int CWidth(string declaration)
    {
        if (declaration.Contains('*'))
        {
            return 8;
        }

        string[] words = declaration.Replace("const ", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string type = words.Length > 1 && words[^1] != "int" ? string.Join(' ', words[..^1]) : string.Join(' ', words);
        return type switch
        {
            "cublasHandle_t" or "cudaStream_t" or "size_t" or "long long int" or "long long" => 8,
            "int" or "cublasStatus_t" or "cublasOperation_t" or "cudaDataType" or "cublasComputeType_t" or "cublasGemmAlgo_t" or "cublasMath_t" => 4,
            _ => throw new InvalidOperationException($"No width known for the C type '{type}' in '{declaration}'."),
        };
    }

    private static int ManagedWidth(Type type) =>
        type.IsByRef || type.IsPointer || type == typeof(nint) || type == typeof(nuint) || type == typeof(ulong) || type == typeof(long) ? 8
        : type == typeof(int) || type.IsEnum ? 4
        : throw new InvalidOperationException($"No width known for the managed type {type}.");

    private static string Signature(MethodInfo method) =>
        $"{Name(method.ReturnType, false)}({string.Join(", ", method.GetParameters().Select(p => Name(p.ParameterType, p.IsOut)))})";

    private static string Name(Type type, bool isOut) =>
        type.IsByRef ? (isOut ? "out " : "ref ") + Name(type.GetElementType()!, false)
        : type.IsPointer ? Name(type.GetElementType()!, false) + "*"
        : type == typeof(nint) ? "nint"
        : type == typeof(ulong) ? "ulong"
        : type == typeof(long) ? "long"
        : type == typeof(int) ? "int"
        : type == typeof(float) ? "float"
        : type.Name;

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();
}
