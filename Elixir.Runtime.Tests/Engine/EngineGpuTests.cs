using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Engine;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Planning;
using Elixir.Runtime.Tests.Cuda;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Engine;

/// <summary>
/// The engine on the CUDA backend with NCCL: the MLP's forward and backward run on the host over copies of the
/// device views, and the result must match the plain reference (within the GPU kernels' rounding).
/// </summary>
[Trait("Category", GpuRequirement.Category)]
public sealed class EngineGpuTests
{
    [Theory]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void MlpTrainingOnOneGpu_MatchesThePlainReference(string optimizer)
    {
        GpuRequirement.Nccl(1);
        const int Steps = 3;
        const int Rows = 16;
        using var gpu = new GpuSession(0);
        var communicators = NcclCommunicator.CreateAll([gpu.Backend], checkedMode: true);
        using var communicator = communicators[0];
        var config = MlpConfig.Default;
        var model = new Elixir.Samples.Training.MlpTraining(config, Rows, seed: 3).Definition;
        var plan = Planner.Create(model.PlanParameters(), new PlannerOptions { ChunkSize = 1100, RCacheBlocks = 2 });
        IReadOnlyDictionary<string, float[]> actual;
        using (var engine = new TrainingEngine(model, communicator, gpu.Backend, gpu.Kernels, MlpEngineTests.Options(optimizer), plan))
        {
            var layer = (LayoutInstance<MlpLayout>)model.Instances[0];
            var host = new MlpParameters(config);
            var grads = new MlpParameters(config);
            var mlp = new MlpModel(config, Rows);
            var batch = new MlpEngineTests.Batch(Rows);
            for (int step = 0; step < Steps; step++)
            {
                batch.Fill(step, 0, 1);
                mlp.SetBatch(batch.Inputs, batch.Targets);
                using (engine.Forward(model.Modules[0]))
                {
                    Download(gpu, layer.Parameters.Binding, host.Layout.Binding);
                    mlp.Forward(host.Layout);
                }

                using (engine.Backward(model.Modules[0]))
                {
                    mlp.Backward(host.Layout, grads.Layout);
                    Upload(gpu, grads.Layout.Binding, layer.Gradients.Binding);
                }

                Assert.False(engine.Step().Skipped);
            }

            actual = engine.GatherParameters();
        }

        var expected = MlpEngineTests.Reference(1, Steps, optimizer);
        foreach (var (name, values) in expected)
        {
            for (int i = 0; i < values.Length; i++)
            {
                Assert.True(Math.Abs(values[i] - actual[name][i]) <= 1e-5f, $"{name}[{i}]: reference {values[i]}, GPU {actual[name][i]}");
            }
        }
    }

    private static void Download(GpuSession gpu, LayoutBinding device, LayoutBinding host)
    {
        for (int t = 0; t < device.Table.Count; t++)
        {
            var pointer = device.DevicePointer<float>(t);
            using var source = new BorrowedBuffer((nint)pointer.Address, pointer.ByteLength, MemoryLocation.Device);
            using var target = new BorrowedBuffer(host.AddressOf(t), pointer.ByteLength, MemoryLocation.Host);
            gpu.Backend.Copy(target.All, source.All);
        }

        gpu.Backend.DefaultStream.Synchronize();
    }

    private static void Upload(GpuSession gpu, LayoutBinding host, LayoutBinding device)
    {
        for (int t = 0; t < device.Table.Count; t++)
        {
            var pointer = device.DevicePointer<float>(t);
            using var source = new BorrowedBuffer(host.AddressOf(t), pointer.ByteLength, MemoryLocation.Host);
            using var target = new BorrowedBuffer((nint)pointer.Address, pointer.ByteLength, MemoryLocation.Device);
            gpu.Backend.Copy(target.All, source.All);
        }

        gpu.Backend.DefaultStream.Synchronize();
    }

    /// <summary>A view of memory owned elsewhere (a tensor inside an rCache block, a pinned array), for copies.</summary>
    private sealed class BorrowedBuffer(nint address, long byteLength, MemoryLocation location) : NativeBuffer(byteLength, location)
    {
        public override nint Address => address;

        public override bool IsDisposed => false;

        protected override void Dispose(bool disposing)
        {
        }
    }
}
