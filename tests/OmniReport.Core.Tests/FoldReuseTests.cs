using System.Collections;
using System.Reflection;
using NodaTime;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Generation;

namespace OmniReport.Core.Tests;

/// <summary>
/// The one-shot fold's reuse (issue 18): one <see cref="InteractionFold"/> a thread, restarted interaction after
/// interaction; only the parts of the account a report needs; each part's lists sorted on its thread and merged.
/// </summary>
public sealed class FoldReuseTests
{
    private static readonly long Now = DateTimeOffset.Parse("2026-04-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public void A_restarted_fold_is_a_new_fold_field_by_field()
    {
        // Every field of the fold's state must be reset by Restart; a field added later and forgotten there fails here,
        // once some interaction of the generated traffic leaves it set.
        var fields = typeof(InteractionFold).GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Where(f => f.Name != "_spare").ToArray();
        Assert.True(fields.Length >= 30, $"{fields.Length} fields");
        var fresh = new InteractionFold(AccountSettings.Default);
        var fold = new InteractionFold(AccountSettings.Default);
        var everSet = new HashSet<string>();
        foreach (var events in Interactions(new GeneratorOptions { Interactions = 400, LateFraction = 0.1, Seed = 5 }))
        {
            if (Derive.FirstCreated(events) is not { } created)
            {
                continue;
            }

            fold.Restart();
            Derive.FoldInPlace(events, created, fold, Now);
            foreach (var f in fields)
            {
                if (!IsNew(f.GetValue(fold), f.GetValue(fresh)))
                {
                    everSet.Add(f.Name);
                }
            }

            fold.Restart();
            foreach (var f in fields)
            {
                Assert.True(IsNew(f.GetValue(fold), f.GetValue(fresh)), $"{f.Name} carries over: {f.GetValue(fold)}");
            }
        }

        // The traffic sets nearly every field (the settings never change; some texts the generator never gives).
        Assert.True(everSet.Count >= fields.Length - 6, $"only {string.Join(", ", everSet)} were ever set");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Keeping_one_part_gives_that_part_of_the_whole_account(int workers)
    {
        var lines = GeneratedLines.Of(new GeneratorOptions { Interactions = 3000, LateFraction = 0.1, DuplicateFraction = 0.05, Seed = 23 });
        var all = Account(lines, workers, DerivedParts.All);
        var engagements = Account(lines, workers, DerivedParts.Engagements);
        var interactions = Account(lines, workers, DerivedParts.Interactions);
        Assert.True(all.Engagements.Count > 2000 && all.Interactions.Count > 2000, $"{all.Engagements.Count} engagements, {all.Interactions.Count} records");

        Assert.Empty(engagements.Interactions);
        Assert.Equal(0, engagements.Names.Count);
        Assert.Equal(await Report(all, ReportType.Engagements), await Report(engagements, ReportType.Engagements));

        Assert.Empty(interactions.Engagements);
        Assert.Equal(all.Names.Sightings.OrderBy(s => s.AgentId, StringComparer.Ordinal), interactions.Names.Sightings.OrderBy(s => s.AgentId, StringComparer.Ordinal));
        Assert.Equal(await Report(all, ReportType.Interactions), await Report(interactions, ReportType.Interactions));
    }

    [Fact]
    public void Sorted_runs_merge_into_one_ordered_list_earlier_runs_first_on_ties()
    {
        var random = new Random(3);
        for (var round = 0; round < 50; round++)
        {
            var runs = Enumerable.Range(0, random.Next(1, 12))
                .Select(r => Enumerable.Range(0, random.Next(0, 40)).Select(i => (Key: random.Next(0, 30), Run: r, Index: i)).OrderBy(x => x.Key).ThenBy(x => x.Index).ToList())
                .ToArray();
            var merged = SortedRuns.Merge(runs, (a, b) => a.Key.CompareTo(b.Key), workers: round % 3 + 1);
            // Stable: by key, then the run it came from, then its place in that run.
            Assert.Equal(runs.SelectMany(r => r).OrderBy(x => x.Key).ThenBy(x => x.Run).ThenBy(x => x.Index), merged);
        }
    }

    private static bool IsNew(object? value, object? fresh) =>
        value is ICollection c ? c.Count == 0 && (fresh is null || ((ICollection)fresh).Count == 0) : Equals(value, fresh);

    private static List<Event[]> Interactions(GeneratorOptions options)
    {
        var parser = new EventParser();
        var byInteraction = new Dictionary<string, List<Event>>(StringComparer.Ordinal);
        var lines = GeneratedLines.Of(options);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out var ev, out _));
            (byInteraction.TryGetValue(ev!.InteractionId, out var list) ? list : byInteraction[ev.InteractionId] = []).Add(ev.WithSequence(i));
        }

        return byInteraction.Values.Select(l => l.ToArray()).ToList();
    }

    private static DerivedAccount Account(List<byte[]> lines, int workers, DerivedParts parts)
    {
        var derivation = new AccountDerivation(lines.Count, duplicatesLast: true);
        var parser = new EventParser();
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out var ev, out var error), error?.ToString());
            derivation.Add(ev!);
        }

        return derivation.RunAndRelease(AccountSettings.Default, Now, workers, parts);
    }

    private static async Task<byte[]> Report(DerivedAccount derived, ReportType type)
    {
        using var output = new MemoryStream();
        await DerivedReport.WriteAsync(output, derived, type, ReportFormat.Json, DateTimeZone.Utc);
        return output.ToArray();
    }
}
