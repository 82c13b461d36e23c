using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Elixir.Benchmarks;

Summary[] summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args)];
BenchmarkRatios.WriteIfAsked(summaries, Environment.GetEnvironmentVariable(BenchmarkRatios.OutputVariable));

// A run in which no benchmark produced a measurement failed, whatever BenchmarkDotNet itself returns.
return BenchmarkRatios.AnySucceeded(summaries) ? 0 : 1;
