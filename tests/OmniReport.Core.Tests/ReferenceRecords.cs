using System.Globalization;
using System.Text.Json.Nodes;

namespace OmniReport.Core.Tests;

/// <summary>An independent plain reading of SPEC §4 (with docs/decisions.md), giving report entries as the JSON report writes them in UTC.</summary>
internal static class ReferenceRecords
{
    private static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static List<JsonObject> Records(IEnumerable<string> lines)
    {
        var byInteraction = ReferenceEvents.ByInteraction(lines);

        // Names: account-wide, latest (occurred_at, arrival) event naming the agent, from interactions with a created.
        var names = new Dictionary<string, (long At, int Seq, string Name)>();
        foreach (var events in byInteraction.Values.Where(l => l.Any(e => e.Type == "interaction.created")))
        {
            foreach (var e in events)
            {
                var (who, name) = e.Type switch
                {
                    "message.created" when e.IsPublic => (e.S("author_id"), e.S("author_name")),
                    "transfer.created" => (e.S("to_agent_id"), e.S("agent_name")),
                    "offer.created" or "offer.accepted" or "offer.declined" or "offer.expired" or "assignment.changed" or "conversation.ended" => (e.S("agent_id"), e.S("agent_name")),
                    _ => (null, null),
                };
                if (who is not null && name is not null && (!names.TryGetValue(who, out var old) || (e.At, e.Seq).CompareTo((old.At, old.Seq)) > 0))
                {
                    names[who] = (e.At, e.Seq, name);
                }
            }
        }

        var result = new List<(long Start, string Id, JsonObject R)>();
        foreach (var (iid, events) in byInteraction)
        {
            var sorted = events.OrderBy(e => e.At).ThenBy(e => e.Seq).ToList();
            var created = sorted.FirstOrDefault(e => e.Type == "interaction.created");
            if (created is null)
            {
                continue;
            }

            var r = Fold(iid, created, sorted.Where(e => !ReferenceEquals(e, created)), names);
            if (r is not null)
            {
                result.Add((created.At, iid, r));
            }
        }

        return result.OrderBy(x => x.Start).ThenBy(x => x.Id, StringComparer.Ordinal).Select(x => x.R).ToList();
    }

    private static JsonObject? Fold(string iid, RefEvent created, IEnumerable<RefEvent> rest, Dictionary<string, (long At, int Seq, string Name)> names)
    {
        var channel = created.S("channel")!;
        var status = created.S("status") ?? "new";
        var everClosed = status == "closed";
        long? solvedAt = status is "solved" or "closed" ? created.At : null;
        long? endedAt = null;
        string? outcome = null;
        string? assignee = null;
        long? firstAssign = null;
        string? lastHuman = null;
        string? lastBot = null;
        string? groupId = null, groupName = null, externalId = null, disposition = null, notes = null, recording = null, transcript = null;
        string? reqId = null, reqName = null, reqContact = null;
        Group(created, "group_id", "group_name");
        Requester(created);
        externalId = created.S("external_id") ?? externalId;

        foreach (var e in rest)
        {
            switch (e.Type)
            {
                case "message.created":
                    if (e.IsPublic && e.S("author_type") == "bot")
                    {
                        lastBot = e.S("author_id");
                    }

                    break;
                case "offer.accepted":
                    Assign(e.S("agent_id"), e.At);
                    break;
                case "assignment.changed":
                    Group(e, "group_id", "group_name");
                    Assign(e.S("agent_id"), e.At);
                    break;
                case "transfer.created":
                    Group(e, "to_group_id", "to_group_name");
                    Assign(e.S("to_agent_id"), e.At);
                    break;
                case "status.changed":
                {
                    var s = e.S("status")!;
                    if (everClosed && s != "deleted")
                    {
                        break;
                    }

                    everClosed |= s == "closed";
                    if (s is "solved" or "closed" && status is not ("solved" or "closed"))
                    {
                        solvedAt = e.At;
                    }

                    status = s;
                    break;
                }

                case "interaction.ended":
                    if (endedAt is null)
                    {
                        endedAt = e.At;
                        outcome = e.S("outcome") ?? "completed";
                    }

                    break;
                case "interaction.updated":
                    Group(e, "group_id", "group_name");
                    Requester(e);
                    externalId = e.S("external_id") ?? externalId;
                    disposition = e.S("disposition") ?? disposition;
                    notes = e.S("notes") ?? notes;
                    recording = e.S("recording_url") ?? recording;
                    transcript = e.S("transcript_url") ?? transcript;
                    break;
                default:
                    break;
            }
        }

        if (status == "deleted")
        {
            return null;
        }

        long? end = endedAt ?? (status is "solved" or "closed" ? solvedAt : null);
        var interactionStatus = endedAt is not null
            ? outcome switch
            {
                "missed" => "MISSED",
                "abandoned" => "ABANDONED",
                "voicemail" => "VOICEMAIL",
                _ => channel == "voice" && lastHuman is null ? "MISSED" : "FINISHED",
            }
            : status is "solved" or "closed" ? "FINISHED" : assignee is not null ? "ASSIGNED" : "OFFERED";
        var agent = lastHuman ?? lastBot ?? "";
        return new JsonObject
        {
            ["interaction_id"] = iid,
            ["waiting_time"] = firstAssign is { } fa ? ReferenceEvents.Sec(created.At, fa) : end is { } e1 ? ReferenceEvents.Sec(created.At, e1) : null,
            ["start_date-time"] = Time(created.At),
            ["end_date-time"] = end is { } e2 ? Time(e2) : null,
            ["duration"] = end is { } e3 ? ReferenceEvents.Sec(created.At, e3) : null,
            ["interaction_type"] = channel.ToUpperInvariant(),
            ["interaction_status"] = interactionStatus,
            ["interaction_direction"] = (created.S("direction") ?? "inbound").ToUpperInvariant(),
            ["agent_type"] = lastHuman is not null ? "USER" : lastBot is not null ? "VIRTUAL_AGENT" : "",
            ["groups"] = !string.IsNullOrEmpty(groupName) ? groupName : groupId ?? "",
            ["agent_name"] = names.TryGetValue(agent, out var n) ? n.Name : "",
            ["agent_id"] = agent,
            ["external_id"] = externalId ?? "",
            ["name"] = reqName ?? "",
            ["contact"] = reqContact ?? "",
            ["contact_id"] = reqId ?? "",
            ["disposition_name"] = disposition ?? "",
            ["transcription-recording"] = recording ?? transcript ?? "",
            ["notes"] = notes ?? "",
        };

        void Assign(string? agent, long at)
        {
            assignee = agent;
            if (agent is not null)
            {
                firstAssign ??= at;
                lastHuman = agent;
            }
        }

        void Group(RefEvent e, string idKey, string nameKey)
        {
            if (e.S(idKey) is { } id)
            {
                groupId = id;
                groupName = e.S(nameKey);
            }
            else if (e.S(nameKey) is { } name)
            {
                groupName = name;
            }
        }

        void Requester(RefEvent e)
        {
            if (e.J["requester"] is JsonObject r)
            {
                reqId = r["id"]?.GetValue<string>() ?? reqId;
                reqName = r["name"]?.GetValue<string>() ?? reqName;
                reqContact = r["contact"]?.GetValue<string>() ?? reqContact;
            }
        }
    }
}
