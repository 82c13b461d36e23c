using System.Collections.Immutable;
using Elixir.Engine;
using Elixir.Layout;
using Elixir.Numerics;
using Elixir.Samples.Layouts;

namespace Elixir.Runtime.Tests.Layout;

/// <summary>Each tensor's external name (its Hugging Face name in the GPT-2 samples) as the runtime reads it.</summary>
public sealed class ExternalNameTests
{
    // transformers' GPT2Block state-dict keys relative to the block (h.N.), in parameter order.
    private static readonly string[] HuggingFaceBlockNames =
    [
        "ln_1.weight", "ln_1.bias",
        "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
        "ln_2.weight", "ln_2.bias",
        "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias",
    ];

    [Fact]
    public void Gpt2Layouts_CarryTheHuggingFaceNames_InTableOrder()
    {
        LayoutTable block = Gpt2Block.CreateTable(new LayoutDimensions(("C", 4)));
        LayoutTable embeddings = Gpt2Embeddings.CreateTable(new LayoutDimensions(("C", 4), ("P", 8), ("V", 16)));
        LayoutTable finalNorm = Gpt2FinalNorm.CreateTable(new LayoutDimensions(("C", 4)));

        Assert.Equal(HuggingFaceBlockNames, block.Slots.ToArray().Select(s => s.ExternalName));
        Assert.Equal(["wte.weight", "wpe.weight"], embeddings.Slots.ToArray().Select(s => s.ExternalName));
        Assert.Equal(["weight", "bias"], finalNorm.Slots.ToArray().Select(s => s.ExternalName));
        Assert.Equal("AttnQkvWeight", block[2].Name);
        Assert.Equal(2, block.IndexOfExternalName("attn.c_attn.weight"));
        Assert.Equal(-1, block.IndexOfExternalName("AttnQkvWeight"));
    }

    [Fact]
    public void LayoutsWithoutExternalNames_UseThePropertyNames()
    {
        LayoutTable mlp = MlpLayout.CreateTable(new LayoutDimensions(("In", 2), ("Hidden", 3), ("Out", 1)));

        Assert.Equal(["Fc1Weight", "Fc1Bias", "Fc2Weight", "Fc2Bias"], mlp.Slots.ToArray().Select(s => s.ExternalName));
        Assert.All(MixedPrecisionLayout.Table.Slots.ToArray(), s => Assert.Equal(s.Name, s.ExternalName));
    }

    [Fact]
    public void Slot_DefaultsToItsName_AndComparesByExternalName()
    {
        var plain = new TensorSlot("W", DType.Float32, ImmutableArray.Create(2L), 2, 0, false);
        var named = plain with { ExternalName = "w.weight" };

        Assert.Equal("W", plain.ExternalName);
        Assert.Equal("w.weight", named.ExternalName);
        Assert.NotEqual(plain, named);
        Assert.Equal(named, new TensorSlot("W", DType.Float32, plain.Shape, 2, 0, false, "w.weight"));
    }

    [Fact]
    public void RetypedStorageTables_KeepTheExternalNames()
    {
        var model = new ModelDefinition();
        LayoutInstance<Gpt2Block> block = model.Add<Gpt2Block>("h.0", new LayoutDimensions(("C", 4)));

        block.PrepareStorage(DType.Float16, BindingLocation.Host);

        Assert.Equal(HuggingFaceBlockNames, block.MasterBinding.Table.Slots.ToArray().Select(s => s.ExternalName));
        Assert.Equal(HuggingFaceBlockNames, block.StorageBinding.Table.Slots.ToArray().Select(s => s.ExternalName));
    }
}
