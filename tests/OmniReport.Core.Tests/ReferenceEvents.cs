using System.Globalization;
using System.Text.Json.Nodes;

namespace OmniReport.Core.Tests;

/// <summary>An event as the reference readings of the SPEC see it: its JSON, its time and its arrival.</summary>
internal sealed record RefEvent(JsonObject J, long At, int Seq)
{
    public string Type => J["type"]!.GetValue<string>();

    public bool IsPublic => J["public"] is not JsonValue v || !v.TryGetValue<bool>(out var b) || b;

    public string? S(string key) => J[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>What both reference readings (§3 in <see cref="ReferenceModel"/>, §4 in <see cref="ReferenceRecords"/>) start from.</summary>
internal static class ReferenceEvents
{
    /// <summary>Events by interaction, in arrival order, the second of an id dropped.</summary>
    public static Dictionary<string, List<RefEvent>> ByInteraction(IEnumerable<string> lines)
    {
        var seen = new HashSet<string>();
        var byInteraction = new Dictionary<string, List<RefEvent>>();
        var seq = 0;
        foreach (var line in lines)
        {
            var j = JsonNode.Parse(line)!.AsObject();
            if (!seen.Add(j["id"]!.GetValue<string>()))
            {
                continue;
            }

            var at = DateTimeOffset.Parse(j["occurred_at"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            var iid = j["interaction_id"]!.GetValue<string>();
            if (!byInteraction.TryGetValue(iid, out var list))
            {
                byInteraction[iid] = list = [];
            }

            list.Add(new RefEvent(j, at, seq++));
        }

        return byInteraction;
    }

    /// <summary>floor((to − from) / 1 s).</summary>
    public static long Sec(long fromMs, long toMs) => (long)Math.Floor((toMs - fromMs) / 1000.0);
}
