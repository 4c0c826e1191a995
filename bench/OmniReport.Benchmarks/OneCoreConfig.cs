using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace OmniReport.Benchmarks;

/// <summary>
/// Three warm-up and ten measured iterations (each processes 200,000 events, so that is plenty), pinned to one core (affinity 1 = CPU 0), workstation non-concurrent GC, memory diagnoser, and an
/// events-per-second column: every benchmark processes one event per operation (OperationsPerInvoke).
/// </summary>
public sealed class OneCoreConfig : ManualConfig
{
    public OneCoreConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithAffinity(1).WithGcServer(false).WithGcConcurrent(false));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new EventsPerSecondColumn());
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddLogger(DefaultConfig.Instance.GetLoggers().ToArray());
        AddExporter(DefaultConfig.Instance.GetExporters().ToArray());
        AddAnalyser(DefaultConfig.Instance.GetAnalysers().ToArray());
        AddValidator(DefaultConfig.Instance.GetValidators().ToArray());
    }

    private sealed class EventsPerSecondColumn : IColumn
    {
        public string Id => nameof(EventsPerSecondColumn);
        public string ColumnName => "Events/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Events per second on one core (1 / mean time per event)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean; // ns per operation = per event
            return mean is > 0 ? (1e9 / mean.Value).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "-";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
