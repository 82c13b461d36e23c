using Elixir.Collectives.Nccl;
using Elixir.Collectives;
using Elixir.Cuda;
using Elixir.Kernels.Cuda;
using Elixir.Memory.Cuda;
using Elixir.Numerics;
using Elixir.Samples.Models;
using Elixir.Samples.Models.Cuda;
using Elixir.Samples.Training;

namespace Elixir.Cli.Training;

/// <summary>
/// <c>elixir train --device cuda</c>: the same training loop as the host run, each rank on its own GPU with the
/// CUDA backend, the runtime's CUDA kernels, NCCL and the sample's <see cref="Gpt2CudaModel"/>. Either all ranks in
/// this process (<c>--ranks N</c> on GPUs 0..N−1, one thread each, <c>ncclCommInitAll</c>) or this process as one
/// rank of a job started by <c>elixir launch</c>, torchrun or Slurm (GPU = its local rank).
/// </summary>
internal static class CudaTrainingRun
{
    /// <summary>How long rank 0 waits for the other processes to fetch the NCCL id at start-up.</summary>
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <paramref name="settings"/> as this process's rank of <paramref name="job"/>, or all its ranks here when there is none.</summary>
    internal static TrainingOutcome Execute(
        TrainSettings settings, DistributedEnvironment? job, TrainingCorpus corpus, bool gatherParameters, Action<TrainingStart>? started, Action<StepReport>? stepped)
    {
        if (job is not null)
        {
            using var device = CudaDevice.Open(job.LocalRank);
            using var backend = new CudaMemoryBackend(device);
            using var communicator = NcclCommunicator.Create(backend, job, StartupTimeout, checkedMode: true);
            return RunRank(communicator, backend, settings, corpus, gatherParameters, started, stepped);
        }

        return RunInProcess(settings, corpus, gatherParameters, started, stepped);
    }

    private static TrainingOutcome RunInProcess(
        TrainSettings settings, TrainingCorpus corpus, bool gatherParameters, Action<TrainingStart>? started, Action<StepReport>? stepped)
    {
        var devices = new List<CudaDevice>();
        var backends = new List<CudaMemoryBackend>();
        NcclCommunicator[] communicators = [];
        try
        {
            // Rank r on GPU r, or on GPU r mod count where NCCL runs several ranks on one GPU (TrainDevice checked which).
            for (int rank = 0; rank < settings.Ranks; rank++)
            {
                devices.Add(CudaDevice.Open(rank % CudaPlatform.DeviceCount));
                backends.Add(new CudaMemoryBackend(devices[rank]));
            }

            communicators = NcclCommunicator.CreateAll(backends, checkedMode: true);
            var outcomes = new TrainingOutcome?[settings.Ranks];
            var failures = new Exception?[settings.Ranks];
            var threads = Enumerable.Range(0, settings.Ranks).Select(rank => new Thread(() =>
            {
                try
                {
                    outcomes[rank] = RunRank(communicators[rank], backends[rank], settings, corpus, gatherParameters,
                        rank == 0 ? started : null, rank == 0 ? stepped : null);
                }
                catch (Exception e)
                {
                    failures[rank] = e;

                    // Ends this rank's communicator so peers waiting in a collective fail instead of hanging.
                    communicators[rank].Dispose();
                }
            }) { Name = $"elixir-gpu-rank-{rank}" }).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());
            if (failures.FirstOrDefault(e => e is not null) is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }

            return outcomes[0]!;
        }
        finally
        {
            foreach (NcclCommunicator communicator in communicators)
            {
                communicator.Dispose();
            }

            backends.ForEach(backend => backend.Dispose());
            devices.ForEach(device => device.Dispose());
        }
    }

    /// <summary>How the model's fp32 products run for parameters stored as <paramref name="type"/>.</summary>
    private static Float32GemmMode GemmMode(DType type) => type switch
    {
        DType.BFloat16 => Float32GemmMode.BFloat16,
        DType.Float16 => Float32GemmMode.Float16,
        _ => Float32GemmMode.Exact,
    };

    private static TrainingOutcome RunRank(
        ICommunicator communicator, CudaMemoryBackend backend, TrainSettings settings, TrainingCorpus corpus, bool gatherParameters,
        Action<TrainingStart>? started, Action<StepReport>? stepped)
    {
        var config = TrainingRun.ModelConfig(settings, corpus);
        using var kernels = new CudaKernels(backend);
        Gpt2CudaModel? gpu = null;

        // The engine's compute stream is the backend's default stream: the model queues all its work there. With
        // 16-bit parameters the products run on the tensor cores at that precision, fp32 accumulation as always.
        var model = new Gpt2Training(config, settings.LocalBatch, settings.Seed,
            (c, batch) => gpu = new Gpt2CudaModel(c, batch, backend, backend.DefaultStream, GemmMode(settings.ParameterType)));
        try
        {
            return TrainingRun.RunRank(communicator, backend, kernels, model, settings, corpus, config, gatherParameters, started, stepped);
        }
        finally
        {
            gpu?.Dispose();
        }
    }
}
