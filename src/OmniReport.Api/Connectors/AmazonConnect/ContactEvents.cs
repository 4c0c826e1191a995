using System.Text.Json;

namespace OmniReport.Api.Connectors.AmazonConnect;

/// <summary>
/// One Amazon Connect contact event (an EventBridge event) as SPEC §1 events: the mapping of SPEC §10 and
/// docs/connectors.md. Stateless, so redelivered or reordered events give the same events. Member names are matched
/// without regard to case: Amazon's own samples write <c>detail</c> both as <c>eventType</c> and <c>EventType</c>.
/// </summary>
internal static class ContactEvents
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>Maps the event at <paramref name="index"/> of the request, given as its UTF-8 JSON text.</summary>
    public static VendorEvent Map(ReadOnlyMemory<byte> utf8Json, long index)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json, Options);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return VendorEvent.Reject(index, null, "", $"is not valid JSON: {ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}");
        }

        using (doc)
        {
            return Map(doc.RootElement, index);
        }
    }

    private static VendorEvent Map(JsonElement e, long index)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return VendorEvent.Reject(index, null, "", "must be a JSON object (an EventBridge event)");
        }

        var id = Get(e, "id") is { ValueKind: JsonValueKind.String } idValue ? idValue.GetString() : null;
        if (id is null)
        {
            return VendorEvent.Reject(index, null, "id", "is required: the EventBridge event id, a string");
        }

        // Only contact events; the same rule may route other Connect events here.
        if (Get(e, "detail-type") is { ValueKind: JsonValueKind.String } kind && kind.GetString() != "Amazon Connect Contact Event")
        {
            return new VendorEvent.Ignored(index, id);
        }

        if (Get(e, "detail") is not { ValueKind: JsonValueKind.Object } detail)
        {
            return VendorEvent.Reject(index, id, "detail", "is required: an object");
        }

        if (!TryText(detail, "eventType", "detail.eventType", required: true, out var eventType, out var bad))
        {
            return Reject(index, id, bad!.Value);
        }

        var (type, timeMember) = eventType switch
        {
            "INITIATED" => ("interaction.created", "initiationTimestamp"),
            "QUEUED" => ("transfer.created", "queueInfo.enqueueTimestamp"),
            "CONNECTED_TO_AGENT" => ("offer.accepted", "agentInfo.connectedToAgentTimestamp"),
            "DISCONNECTED" => ("interaction.ended", "disconnectTimestamp"),
            _ => ((string?)null, (string?)null),
        };
        if (type is null)
        {
            return new VendorEvent.Ignored(index, id);
        }

        if (!TryText(detail, "initialContactId", "detail.initialContactId", required: false, out var interaction, out bad)
            || (interaction is null && !TryText(detail, "contactId", "detail.contactId", required: true, out interaction, out bad)))
        {
            return Reject(index, id, bad!.Value);
        }

        var interactionField = Get(detail, "initialContactId") is { ValueKind: JsonValueKind.String } ? "detail.initialContactId" : "detail.contactId";

        // The time: the detail's timestamp of the event type, else the event's time (SPEC §10).
        if (!TryText(detail, timeMember!, "detail." + timeMember, required: false, out var occurredAt, out bad))
        {
            return Reject(index, id, bad!.Value);
        }

        var timeField = "detail." + timeMember;
        if (occurredAt is null)
        {
            if (!TryText(e, "time", "time", required: true, out occurredAt, out bad))
            {
                return Reject(index, id, bad!.Value);
            }

            timeField = "time";
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "id",
            ["occurred_at"] = timeField,
            ["interaction_id"] = interactionField,
        };
        var events = new List<byte[]>(2);
        var json = new EventJson(id, type, occurredAt!, interaction!, fields);
        switch (eventType)
        {
            case "INITIATED":
            {
                if (!TryText(detail, "channel", "detail.channel", required: true, out var channelText, out bad)
                    || !TryText(detail, "initiationMethod", "detail.initiationMethod", required: false, out var method, out bad)
                    || !TryText(detail, "customerId", "detail.customerId", required: false, out var customerId, out bad)
                    || !TryText(detail, "customerEndpoint.address", "detail.customerEndpoint.address", required: false, out var address, out bad))
                {
                    return Reject(index, id, bad!.Value);
                }

                var channel = Channel(channelText!, Get(detail, "segmentAttributes"));
                if (channel is null)
                {
                    return VendorEvent.Reject(index, id, "detail.channel", $"must be VOICE, CHAT, EMAIL or TASK, not \"{Quote(channelText!)}\"");
                }

                var direction = Direction(method, channel);
                json.String("channel", channel, "detail.channel")
                    .String("direction", direction, "detail.initiationMethod")
                    .Requester(customerId, null, address, ("detail.customerId", "", "detail.customerEndpoint.address"));
                if (direction == "inbound" && channel is not ("voice" or "email") && method is null or "INBOUND" or "API")
                {
                    // The customer opened the chat; contact events carry no messages, so that opening message is the
                    // only end-user activity the engagement rules (SPEC §3.1) can see.
                    var opening = new EventJson(id + "/opening-message", "message.created", occurredAt!, interaction!, new Dictionary<string, string>(fields));
                    opening.String("author_type", "end_user", "detail.channel");
                    events.Add(opening.ToArray());
                }

                break;
            }

            case "QUEUED":
            {
                if (!TryText(detail, "queueInfo.queueArn", "detail.queueInfo.queueArn", required: true, out var queueArn, out bad))
                {
                    return Reject(index, id, bad!.Value);
                }

                json.String("to_group_id", LastSegment(queueArn!), "detail.queueInfo.queueArn");
                break;
            }

            case "CONNECTED_TO_AGENT":
            {
                if (!TryText(detail, "agentInfo.agentArn", "detail.agentInfo.agentArn", required: true, out var agentArn, out bad))
                {
                    return Reject(index, id, bad!.Value);
                }

                json.String("agent_id", LastSegment(agentArn!), "detail.agentInfo.agentArn");
                break;
            }

            default: // DISCONNECTED
            {
                var answered = Get(detail, "agentInfo.connectedToAgentTimestamp") is { ValueKind: JsonValueKind.String };
                json.String("outcome", answered ? "completed" : "abandoned", "detail.agentInfo.connectedToAgentTimestamp");
                break;
            }
        }

        if (json.BadField is { } badField)
        {
            return VendorEvent.Reject(index, id, badField, json.BadDescription!);
        }

        events.Insert(0, json.ToArray());
        return new VendorEvent.Translated(index, id, events, fields);
    }

    /// <summary>The §1 channel of a contact; null for a channel Amazon Connect does not document.</summary>
    private static string? Channel(string channel, JsonElement? segmentAttributes)
    {
        switch (channel.ToUpperInvariant())
        {
            case "VOICE":
                return "voice";
            case "CHAT":
                // SMS and WhatsApp conversations are chat contacts whose segment attribute connect:Subtype says the medium.
                var subtype = segmentAttributes is { } s && Get(s, "connect:Subtype") is { } sub
                    ? (sub.ValueKind == JsonValueKind.String ? sub.GetString() : Get(sub, "ValueString") is { ValueKind: JsonValueKind.String } v ? v.GetString() : null)
                    : null;
                return subtype?.ToUpperInvariant() switch
                {
                    "CONNECT:SMS" => "sms",
                    "CONNECT:WHATSAPP" => "whatsapp",
                    _ => "chat",
                };
            case "EMAIL":
                return "email";
            case "TASK":
                // A task is a work item, not a conversation: always active (SPEC §3.1), as email is.
                return "email";
            default:
                return null;
        }
    }

    /// <summary>
    /// The direction from <c>initiationMethod</c>: the contact centre reaching out (an agent's call, a callback, a
    /// campaign or an API-started call, an agent's e-mail reply) is outbound; everything else inbound.
    /// </summary>
    private static string Direction(string? method, string channel) => method switch
    {
        "OUTBOUND" or "EXTERNAL_OUTBOUND" or "CALLBACK" or "AGENT_REPLY" => "outbound",
        "API" when channel == "voice" => "outbound", // StartOutboundVoiceContact
        _ => "inbound",
    };

    private static string LastSegment(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    /// <summary>A member by dotted path, matching names without regard to case; null when absent.</summary>
    private static JsonElement? Get(JsonElement e, string path)
    {
        foreach (var name in path.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            JsonElement? found = null;
            foreach (var p in e.EnumerateObject())
            {
                if (p.NameEquals(name))
                {
                    found = p.Value;
                    break;
                }

                if (found is null && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    found = p.Value;
                }
            }

            if (found is not { } next)
            {
                return null;
            }

            e = next;
        }

        return e;
    }

    private static bool TryText(JsonElement e, string path, string field, bool required, out string? value, out (string Field, string Description)? bad)
    {
        value = null;
        bad = null;
        switch (Get(e, path))
        {
            case null or { ValueKind: JsonValueKind.Null }:
                if (required)
                {
                    bad = (field, "is required");
                    return false;
                }

                return true;
            case { ValueKind: JsonValueKind.String } s:
                try
                {
                    value = s.GetString();
                }
                catch (InvalidOperationException)
                {
                    bad = (field, "is not valid Unicode text");
                    return false;
                }

                if (value!.Length == 0 && required)
                {
                    bad = (field, "must not be empty");
                    return false;
                }

                return true;
            case { } other:
                bad = (field, $"must be a string, not {other.ValueKind.ToString().ToLowerInvariant()}");
                return false;
        }
    }

    private static VendorEvent.Rejected Reject(long index, string id, (string Field, string Description) bad) =>
        VendorEvent.Reject(index, id, bad.Field, bad.Description);

    private static string Quote(string s) => s.Length <= 100 ? s : s[..100];
}
