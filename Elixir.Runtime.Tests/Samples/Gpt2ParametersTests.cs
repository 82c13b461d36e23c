using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

public sealed class Gpt2ParametersTests
{
    private static readonly Gpt2Config Tiny = new(VocabularySize: 5, SequenceLength: 3, Channels: 4, Layers: 1, Heads: 2);

    [Fact]
    public void ParameterViews_FollowTheGpt2Order()
    {
        var parameters = new Gpt2Parameters(Tiny);
        var names = TensorNames.Gpt2(Tiny);
        Assert.Equal(Tiny.ParameterCount, names.Sum(n => (long)n.Length));
        Assert.Equal(parameters.Values.Length, names[^1].Start + names[^1].Length);

        // Mark each view with its index in the GPT-2 order and read the flat buffer back.
        var block = parameters.Block(0);
        parameters.Embeddings.Wte.Fill(0);
        parameters.Embeddings.Wpe.Fill(1);
        block.Ln1Weight.Fill(2);
        block.Ln1Bias.Fill(3);
        block.AttnQkvWeight.Fill(4);
        block.AttnQkvBias.Fill(5);
        block.AttnProjWeight.Fill(6);
        block.AttnProjBias.Fill(7);
        block.Ln2Weight.Fill(8);
        block.Ln2Bias.Fill(9);
        block.MlpFcWeight.Fill(10);
        block.MlpFcBias.Fill(11);
        block.MlpProjWeight.Fill(12);
        block.MlpProjBias.Fill(13);
        parameters.FinalNorm.LnFWeight.Fill(14);
        parameters.FinalNorm.LnFBias.Fill(15);
        for (int tensor = 0; tensor < names.Count; tensor++)
        {
            var (name, start, length) = names[tensor];
            Assert.True(parameters.Values.Slice(start, length).IndexOfAnyExcept((float)tensor) < 0, $"{name} is not where GPT-2 puts it");
        }
    }
}
