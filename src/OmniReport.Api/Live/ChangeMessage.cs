using System.Buffers;
using System.Text.Json;
using NodaTime;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Reports;
using OmniReport.Storage;

namespace OmniReport.Api.Live;

/// <summary>
/// One entry of an account's change log as live clients receive it (SPEC §9): its id (the account's change
/// sequence), its type and its <c>data</c> as JSON bytes. The stream sends it as an SSE message
/// (<c>id</c>, <c>event</c>, <c>data</c>), webhooks as <see cref="Envelope"/>. This is the one place that turns a
/// stored <see cref="Change"/> into those bytes; the objects are written by the same field writer
/// (<see cref="RecordFields"/>) as the engagements API and the report files, so they cannot disagree.
/// </summary>
/// <param name="Id">The change sequence.</param>
/// <param name="Type">The event name (<see cref="Types"/>).</param>
/// <param name="Data">The <c>data</c> object, UTF-8 JSON on one line.</param>
public sealed record ChangeMessage(long Id, string Type, ReadOnlyMemory<byte> Data)
{
    /// <summary>
    /// True when the change's engagement or record has gone since (<see cref="Change.Superseded"/>): nothing is sent for
    /// it, and a later message (unlogged, removed) says what became of the object. Readers move past its id.
    /// </summary>
    public bool Superseded { get; init; }

    /// <summary>An engagement became logged, or a logged one changed: <c>data</c> is the engagement object of SPEC §5.3.</summary>
    public const string EngagementLogged = "engagement.logged";

    /// <summary>A logged engagement no longer exists after a recompute: <c>data</c> is <c>{"engagement_id": "..."}</c>.</summary>
    public const string EngagementUnlogged = "engagement.unlogged";

    /// <summary>An interaction record appeared or changed: <c>data</c> is the record of SPEC §4, times in UTC.</summary>
    public const string InteractionUpdated = "interaction.updated";

    /// <summary>
    /// An interaction record went away (the interaction was deleted, SPEC §4): <c>data</c> is
    /// <c>{"interaction_id": "..."}</c>. SPEC §9 names no event for it; without it a client could not end with the
    /// records the API serves (docs/decisions.md, "Live stream").
    /// </summary>
    public const string InteractionRemoved = "interaction.removed";

    /// <summary>Every type, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Types { get; } = [EngagementLogged, EngagementUnlogged, InteractionUpdated, InteractionRemoved];

    private static readonly JsonEncodedText[] RecordNames =
        Array.ConvertAll(RecordFields.Interaction, f => JsonEncodedText.Encode(f, Dialect.WriterOptions.Encoder));

    /// <summary>The event name of a change kind.</summary>
    public static string TypeOf(ChangeKind kind) => kind switch
    {
        ChangeKind.EngagementLogged => EngagementLogged,
        ChangeKind.EngagementUnlogged => EngagementUnlogged,
        ChangeKind.InteractionUpdated => InteractionUpdated,
        ChangeKind.InteractionRemoved => InteractionRemoved,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The message of one change. <paramref name="agentNames"/> are the account's agent names
    /// (<see cref="IChangeFeed.AgentNamesAsync"/>), for a record's <c>agent_name</c>.
    /// </summary>
    public static ChangeMessage From(Change change, IReadOnlyDictionary<string, string> agentNames)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(agentNames);
        if (change.Superseded)
        {
            return new ChangeMessage(change.Sequence, TypeOf(change.Kind), ReadOnlyMemory<byte>.Empty) { Superseded = true };
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Dialect.WriterOptions))
        {
            switch (change.Kind)
            {
                case ChangeKind.EngagementLogged:
                    new EngagementJson(json).Write(change.Engagement
                        ?? throw new InvalidOperationException($"change {change.Sequence} has no engagement"));
                    break;
                case ChangeKind.InteractionUpdated:
                    var r = change.Record ?? throw new InvalidOperationException($"change {change.Sequence} has no record");
                    json.WriteStartObject();
                    RecordFields.Write(new FieldJson(json), r, agentNames.GetValueOrDefault(r.AgentId, ""), DateTimeZone.Utc);
                    json.WriteEndObject();
                    break;
                case ChangeKind.EngagementUnlogged:
                    json.WriteStartObject();
                    json.WriteString("engagement_id"u8, change.Key);
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteStartObject();
                    json.WriteString("interaction_id"u8, change.Key);
                    json.WriteEndObject();
                    break;
            }
        }

        return new ChangeMessage(change.Sequence, TypeOf(change.Kind), buffer.WrittenMemory);
    }

    /// <summary>
    /// The account's changes after <paramref name="afterId"/> (at most <paramref name="limit"/>, oldest first) as
    /// messages, agent names joined in as they are now.
    /// </summary>
    public static async Task<IReadOnlyList<ChangeMessage>> ReadAsync(IStore store, long accountId, long afterId, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var changes = await store.ReadChangesAsync(accountId, afterId, limit, ct).ConfigureAwait(false);
        if (changes.Count == 0)
        {
            return [];
        }

        IReadOnlyDictionary<string, string> names = changes.Any(c => c.Kind == ChangeKind.InteractionUpdated)
            ? await store.AgentNamesAsync(accountId, ct).ConfigureAwait(false)
            : new Dictionary<string, string>();
        var messages = new ChangeMessage[changes.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = From(changes[i], names);
        }

        return messages;
    }

    /// <summary>The webhook body of SPEC §9: <c>{"id": seq, "type": "...", "data": {...}}</c>, UTF-8 JSON.</summary>
    public byte[] Envelope()
    {
        var buffer = new ArrayBufferWriter<byte>(Data.Length + 64);
        using (var json = new Utf8JsonWriter(buffer, Dialect.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("id"u8, Id);
            json.WriteString("type"u8, Type);
            json.WritePropertyName("data"u8);
            json.WriteRawValue(Data.Span, skipInputValidation: true);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one record's fields as JSON members (interaction records; engagements have <see cref="EngagementJson"/>).</summary>
    private sealed class FieldJson(Utf8JsonWriter writer) : IFieldSink
    {
        public void Null(int field) => writer.WriteNull(RecordNames[field]);

        public void Number(int field, long value) => writer.WriteNumber(RecordNames[field], value);

        public void Text(int field, string value) => writer.WriteString(RecordNames[field], value);
    }
}
