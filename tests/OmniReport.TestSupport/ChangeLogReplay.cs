using OmniReport.Core.Derivation;
using OmniReport.Storage;
using Xunit;

namespace OmniReport.TestSupport;

/// <summary>A reader of the change log as the live stream's clients will be: it applies the changes, in order, to an empty map.</summary>
public static class ChangeLogReplay
{
    /// <summary>The logged engagements and interaction records by key after <paramref name="log"/>.</summary>
    public static (Dictionary<string, Engagement> Engagements, Dictionary<string, InteractionRecord> Records) Apply(IEnumerable<Change> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var engagements = new Dictionary<string, Engagement>(StringComparer.Ordinal);
        var records = new Dictionary<string, InteractionRecord>(StringComparer.Ordinal);
        foreach (var c in log)
        {
            switch (c.Kind)
            {
                case ChangeKind.EngagementLogged:
                    engagements[c.Key] = c.Engagement!;
                    break;
                case ChangeKind.EngagementUnlogged:
                    Assert.True(engagements.Remove(c.Key), $"unlogged {c.Key} was not logged");
                    break;
                case ChangeKind.InteractionUpdated:
                    records[c.Key] = c.Record!;
                    break;
                case ChangeKind.InteractionRemoved:
                    Assert.True(records.Remove(c.Key), $"removed {c.Key} had no record");
                    break;
            }
        }

        return (engagements, records);
    }
}
