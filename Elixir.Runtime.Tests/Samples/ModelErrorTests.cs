using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

public sealed class ModelErrorTests
{
    private static readonly Gpt2Config Tiny = new(VocabularySize: 5, SequenceLength: 3, Channels: 4, Layers: 1, Heads: 2);

    [Fact]
    public void AConfigWhoseHeadsDoNotDivideTheChannels_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Gpt2Model(Tiny with { Heads = 3 }, batch: 1));
        Assert.Contains("4 channels", error.Message);
        Assert.Contains("3 heads", error.Message);
        Assert.Throws<ArgumentException>(() => new Gpt2Model(Tiny with { Layers = 0 }, batch: 1));
        Assert.Throws<ArgumentException>(() => new MlpModel(new MlpConfig(2, 0, 1), batch: 1));
    }

    [Fact]
    public void AParameterViewOfTheWrongSize_IsRejectedNamingTheTensor()
    {
        var model = new Gpt2Model(Tiny, batch: 1);
        var parameters = new Gpt2Parameters(Tiny);
        var error = Assert.Throws<ArgumentException>(() =>
        {
            var embeddings = parameters.Embeddings;
            model.EmbeddingForward(new Gpt2EmbeddingTensors(embeddings.Wte, embeddings.Wpe[1..]), [0, 1, 2]);
        });
        Assert.Contains("'Wpe'", error.Message);
        Assert.Contains("11 elements", error.Message);
        Assert.Contains("expects 12", error.Message);

        var mlp = new MlpModel(new MlpConfig(2, 3, 1), batch: 1);
        var mlpError = Assert.Throws<ArgumentException>(() => mlp.Forward(new MlpTensors(new float[6], new float[3], new float[3], new float[2])));
        Assert.Contains("'Fc2Bias'", mlpError.Message);
        Assert.Contains("2 elements", mlpError.Message);
    }

    [Fact]
    public void TokensOutsideTheVocabulary_WrongBatchSizes_AndUnknownLayers_AreRejected()
    {
        var model = new Gpt2Model(Tiny, batch: 1);
        var parameters = new Gpt2Parameters(Tiny);
        var tokenError = Assert.Throws<ArgumentOutOfRangeException>(() => model.EmbeddingForward(parameters.Embeddings, [0, 5, 1]));
        Assert.Contains("Token 5 at index 1", tokenError.Message);
        var sizeError = Assert.Throws<ArgumentException>(() => model.EmbeddingForward(parameters.Embeddings, [0, 1]));
        Assert.Contains("got 2", sizeError.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.BlockForward(1, parameters.Block(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => parameters.Block(1));
    }
}
