using System.Text.Json.Nodes;
using OmniReport.Core.Derivation;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;

namespace OmniReport.TestSupport;

/// <summary>
/// A fluent builder of event JSON for rule tests. Times are <c>HH:MM:SS[.fff]</c> on <see cref="Day"/> (UTC)
/// or full RFC 3339 timestamps. Every event gets a fresh id; the current interaction is set by <see cref="For"/>.
/// </summary>
public sealed class EventLog
{
    /// <summary>The day short times fall on: Monday 2026-03-02.</summary>
    public const string Day = "2026-03-02";

    /// <summary>A moment long after every event: every inactivity end has been reached.</summary>
    public const string Later = "2027-01-01T00:00:00Z";

    private readonly List<JsonObject> _events = [];
    private string _interaction;
    private int _next;

    public EventLog(string interactionId = "100") => _interaction = interactionId;

    /// <summary>The events, in the order they were added.</summary>
    public IReadOnlyList<JsonObject> Events => _events;

    /// <summary>The events as JSON lines, in the order they were added.</summary>
    public IReadOnlyList<string> Lines => _events.Select(e => e.ToJsonString()).ToList();

    /// <summary>A full RFC 3339 timestamp for a short time on <see cref="Day"/>.</summary>
    public static string T(string time) => time.Contains('T', StringComparison.Ordinal) ? time : $"{Day}T{time}Z";

    /// <summary>Unix milliseconds of a short or full time.</summary>
    public static long Ms(string time) => ReportFiles.Ms(T(time));

    /// <summary>Switches the interaction the next events belong to.</summary>
    public EventLog For(string interactionId)
    {
        _interaction = interactionId;
        return this;
    }

    /// <summary>Any event: the envelope plus the given fields (a null value is written as JSON null).</summary>
    public EventLog Add(string type, string at, params (string Key, JsonNode? Value)[] fields)
    {
        var e = new JsonObject
        {
            ["id"] = $"ev-{_next++}",
            ["type"] = type,
            ["occurred_at"] = T(at),
            ["interaction_id"] = _interaction,
        };
        foreach (var (key, value) in fields)
        {
            e[key] = value?.DeepClone();
        }

        _events.Add(e);
        return this;
    }

    public EventLog Created(string at, string channel = "messaging", params (string Key, JsonNode? Value)[] fields) =>
        Add("interaction.created", at, [("channel", channel), .. fields]);

    public EventLog EndUser(string at, bool isPublic = true) =>
        isPublic ? Add("message.created", at, ("author_type", "end_user")) : Add("message.created", at, ("author_type", "end_user"), ("public", false));

    public EventLog AgentMessage(string at, string agent, bool isPublic = true) =>
        Add("message.created", at, ("author_type", "agent"), ("author_id", agent), ("public", isPublic));

    public EventLog BotMessage(string at, string bot, string? name = null, bool isPublic = true) => name is null
        ? Add("message.created", at, ("author_type", "bot"), ("author_id", bot), ("public", isPublic))
        : Add("message.created", at, ("author_type", "bot"), ("author_id", bot), ("author_name", name), ("public", isPublic));

    public EventLog Offer(string at, string agent) => Add("offer.created", at, ("agent_id", agent));

    public EventLog Accept(string at, string agent) => Add("offer.accepted", at, ("agent_id", agent));

    public EventLog Assign(string at, string agent, string? via = null, params (string Key, JsonNode? Value)[] fields) =>
        via is null ? Add("assignment.changed", at, [("agent_id", agent), .. fields]) : Add("assignment.changed", at, [("agent_id", agent), ("via", via), .. fields]);

    public EventLog Unassign(string at) => Add("assignment.changed", at, ("agent_id", null));

    public EventLog TransferTo(string at, string agent, params (string Key, JsonNode? Value)[] fields) =>
        Add("transfer.created", at, [("to_agent_id", agent), .. fields]);

    public EventLog TransferToGroup(string at, string group, string? groupName = null) => groupName is null
        ? Add("transfer.created", at, ("to_group_id", group))
        : Add("transfer.created", at, ("to_group_id", group), ("to_group_name", groupName));

    public EventLog Status(string at, string status) => Add("status.changed", at, ("status", status));

    public EventLog ConversationEnded(string at) => Add("conversation.ended", at);

    public EventLog Ended(string at, string? outcome = null) =>
        outcome is null ? Add("interaction.ended", at) : Add("interaction.ended", at, ("outcome", outcome));

    public EventLog Updated(string at, params (string Key, JsonNode? Value)[] fields) => Add("interaction.updated", at, fields);

    /// <summary>Derives the events in the order added (or in <paramref name="order"/>, indices into the events).</summary>
    public Derived Derive(string? settings = null, string now = Later, IEnumerable<int>? order = null)
    {
        var lines = Lines;
        return Derived.From(order is null ? lines : order.Select(i => lines[i]), settings, now);
    }
}

/// <summary>The derivation of some events: the engine's records and their wire form (JSON report entries, UTC).</summary>
public sealed record Derived(DerivedAccount Account, JsonArray Engagements, JsonArray Interactions)
{
    public static Derived From(IEnumerable<string> lines, string? settings = null, string now = EventLog.Later)
    {
        var s = AccountSettings.Default;
        if (settings is not null && !SettingsJson.TryApply(AccountSettings.Default, settings, out s, out var error))
        {
            throw new InvalidOperationException($"bad settings: {error}");
        }

        var account = ReportFiles.Load(lines).Run(s, EventLog.Ms(now));
        return new Derived(
            account,
            ReportFiles.Entries(ReportFiles.Write(account, ReportType.Engagements, ReportFormat.Json)),
            ReportFiles.Entries(ReportFiles.Write(account, ReportType.Interactions, ReportFormat.Json)));
    }

    /// <summary>The only engagement (fails otherwise).</summary>
    public JsonObject Engagement => Single(Engagements, "engagement");

    /// <summary>The only interaction record (fails otherwise).</summary>
    public JsonObject Interaction => Single(Interactions, "interaction record");

    /// <summary>Engagement <paramref name="i"/> in report order (start second, then id).</summary>
    public JsonObject E(int i) => Engagements[i]!.AsObject();

    /// <summary>Engagements in processing order: by start, then end (the report orders by start second and id).</summary>
    public IReadOnlyList<Engagement> ByStart => Account.Engagements.OrderBy(e => e.StartMs).ThenBy(e => e.EndMs).ToList();

    private static JsonObject Single(JsonArray a, string what) => a.Count == 1
        ? a[0]!.AsObject()
        : throw new InvalidOperationException($"expected one {what}, got {a.Count}: {a.ToJsonString()}");
}

/// <summary>Short accessors for report entries.</summary>
public static class JsonFields
{
    /// <summary>A string field (null when JSON null; fails for other kinds).</summary>
    public static string? Str(this JsonObject o, string key) => o[key]?.GetValue<string>();

    /// <summary>A number field (null when JSON null; fails for other kinds).</summary>
    public static long? Num(this JsonObject o, string key) => o[key]?.GetValue<long>();
}
