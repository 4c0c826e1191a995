using BenchmarkDotNet.Attributes;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Benchmarks;

/// <summary>
/// The in-memory derivation, events already parsed: the whole account (<see cref="AccountDerivation"/>: dedupe,
/// group, derive, sort), and the per-interaction fold alone on events already grouped.
/// </summary>
public class DerivationBenchmarks
{
    private Event[] _events = [];
    private Event[][] _byInteraction = [];
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _events = [.. Corpus.Parsed(Corpus.Lines(Corpus.Ndjson())).Select((e, i) => e.WithSequence(i))];
        _byInteraction = [.. _events.GroupBy(e => e.InteractionId).Select(g => g.ToArray())];

        _now = Corpus.Now.ToUnixTimeMilliseconds();
    }

    [Benchmark(OperationsPerInvoke = Corpus.Events)]
    public int AccountDerivation_add_and_run()
    {
        var derivation = new AccountDerivation(_events.Length); // as derive does, from the file's size
        foreach (var e in _events)
        {
            derivation.Add(e);
        }

        var derived = derivation.Run(AccountSettings.Default, _now);
        return derived.Engagements.Count + derived.Interactions.Count;
    }

    [Benchmark(OperationsPerInvoke = Corpus.Events)]
    public int Derive_interaction_in_place()
    {
        var n = 0;
        foreach (var events in _byInteraction)
        {
            n += Derive.InteractionInPlace(events, AccountSettings.Default, _now).Engagements.Count;
        }

        return n;
    }
}
