using OmniReport.Core.Derivation;
using OmniReport.Storage;
using Xunit;

namespace OmniReport.TestSupport;

/// <summary>
/// A reader of the change log as the live stream's clients are: it applies the changes, in order, to an empty map. An
/// entry read back carries its object as it is now; one whose object has gone since (superseded) is passed over, and the
/// later entry that took the object away (unlogged, removed) must then follow.
/// </summary>
public static class ChangeLogReplay
{
    /// <summary>The logged engagements and interaction records by key after <paramref name="log"/>.</summary>
    public static (Dictionary<string, Engagement> Engagements, Dictionary<string, InteractionRecord> Records) Apply(IEnumerable<Change> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var engagements = new Dictionary<string, Engagement>(StringComparer.Ordinal);
        var records = new Dictionary<string, InteractionRecord>(StringComparer.Ordinal);
        var gone = new HashSet<(ChangeKind, string)>();
        foreach (var c in log)
        {
            if (c.Superseded)
            {
                gone.Add((c.Kind, c.Key));
                continue;
            }

            switch (c.Kind)
            {
                case ChangeKind.EngagementLogged:
                    engagements[c.Key] = c.Engagement!;
                    break;
                case ChangeKind.EngagementUnlogged:
                    Assert.True(engagements.Remove(c.Key) | gone.Remove((ChangeKind.EngagementLogged, c.Key)), $"unlogged {c.Key} was not logged");
                    break;
                case ChangeKind.InteractionUpdated:
                    records[c.Key] = c.Record!;
                    break;
                case ChangeKind.InteractionRemoved:
                    Assert.True(records.Remove(c.Key) | gone.Remove((ChangeKind.InteractionUpdated, c.Key)), $"removed {c.Key} had no record");
                    break;
            }
        }

        Assert.True(gone.Count == 0, $"superseded without a later unlogged or removed: {string.Join(", ", gone)}");
        return (engagements, records);
    }
}
