using BenchmarkDotNet.Running;
using OmniReport.Benchmarks;

// dotnet run -c Release --project bench/OmniReport.Benchmarks -- --filter '*'   (see docs/performance.md)
BenchmarkSwitcher.FromAssembly(typeof(Corpus).Assembly).Run(args, new OneCoreConfig());
