using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OmniReport.Api.Connectors.Twilio;

/// <summary>
/// One TaskRouter Event Callback (its POST parameters) as SPEC §1 events: the mapping of SPEC §10 and
/// docs/connectors.md. Stateless, so redelivered or reordered callbacks give the same events.
/// </summary>
internal static class TaskRouterEvents
{
    /// <summary>Maps the callback's parameters (names are case-sensitive, as Twilio sends them).</summary>
    public static VendorEvent Map(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            p.TryAdd(name, value);
        }

        var id = p.TryGetValue("Sid", out var sid) && sid.Length > 0 ? sid : Digest(parameters);
        if (!p.TryGetValue("EventType", out var eventType) || eventType.Length == 0)
        {
            return VendorEvent.Reject(0, id, "EventType", "is required");
        }

        var type = eventType switch
        {
            "task.created" => "interaction.created",
            "task-queue.entered" or "task-queue.moved" => "transfer.created",
            "reservation.created" => "offer.created",
            "reservation.accepted" => "offer.accepted",
            "reservation.rejected" => "offer.declined",
            "reservation.timeout" or "reservation.canceled" or "reservation.rescinded" => "offer.expired",
            "task.completed" or "task.canceled" => "interaction.ended",
            _ => null,
        };
        if (type is null)
        {
            return new VendorEvent.Ignored(0, id);
        }

        if (!p.TryGetValue("TaskSid", out var taskSid))
        {
            return VendorEvent.Reject(0, id, "TaskSid", "is required");
        }

        string occurredAt;
        string timeField;
        if (p.TryGetValue("TimestampMs", out var ms))
        {
            timeField = "TimestampMs";
            if (!long.TryParse(ms, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unixMs) || EventJson.Time(unixMs) is not { } t)
            {
                return VendorEvent.Reject(0, id, timeField, $"must be Unix milliseconds, not \"{Quote(ms)}\"");
            }

            occurredAt = t;
        }
        else if (p.TryGetValue("Timestamp", out var seconds))
        {
            timeField = "Timestamp";
            if (!decimal.TryParse(seconds, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var unixSeconds)
                || Math.Abs(unixSeconds) > 300_000_000_000m
                || EventJson.Time((long)decimal.Floor(unixSeconds * 1000)) is not { } t)
            {
                return VendorEvent.Reject(0, id, timeField, $"must be Unix seconds, not \"{Quote(seconds)}\"");
            }

            occurredAt = t;
        }
        else
        {
            return VendorEvent.Reject(0, id, "TimestampMs", "is required (or Timestamp)");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = sid is { Length: > 0 } ? "Sid" : "Sid (a digest of the parameters)",
            ["occurred_at"] = timeField,
            ["interaction_id"] = "TaskSid",
        };
        var events = new List<byte[]>(2);
        var json = new EventJson(id, type, occurredAt, taskSid, fields);
        switch (eventType)
        {
            case "task.created":
                if (!TryAttributes(p, out var attributes))
                {
                    return VendorEvent.Reject(0, id, "TaskAttributes", "must be a JSON object");
                }

                var channel = Channel(p.GetValueOrDefault("TaskChannelUniqueName"), Text(attributes, "channelType"));
                var direction = Direction(Text(attributes, "direction"), p.GetValueOrDefault("TaskChannelUniqueName"));
                json.String("channel", channel, "TaskChannelUniqueName")
                    .String("direction", direction, "TaskAttributes.direction")
                    .Requester(null, Text(attributes, "name"), Text(attributes, "from"), ("", "TaskAttributes.name", "TaskAttributes.from"))
                    .String("group_id", p.GetValueOrDefault("TaskQueueSid"), "TaskQueueSid")
                    .String("group_name", p.GetValueOrDefault("TaskQueueName"), "TaskQueueName");
                if (direction == "inbound" && IsConversational(channel))
                {
                    // A conversation reaches TaskRouter because the customer wrote; TaskRouter carries no messages, so
                    // that opening message is the only end-user activity the engagement rules (SPEC §3.1) can see.
                    var opening = new EventJson(id + "/opening-message", "message.created", occurredAt, taskSid, new Dictionary<string, string>(fields));
                    opening.String("author_type", "end_user", "TaskChannelUniqueName");
                    events.Add(opening.ToArray());
                }

                break;
            case "task-queue.entered" or "task-queue.moved":
                if (!p.TryGetValue("TaskQueueSid", out var queue))
                {
                    return VendorEvent.Reject(0, id, "TaskQueueSid", "is required");
                }

                json.String("to_group_id", queue, "TaskQueueSid").String("to_group_name", p.GetValueOrDefault("TaskQueueName"), "TaskQueueName");
                break;
            case "task.completed":
                json.String("outcome", "completed", "EventType");
                break;
            case "task.canceled":
                // TaskRouter cancels only pending or reserved Tasks; an accepted Task is completed, not canceled.
                json.String("outcome", "abandoned", "EventType");
                break;
            default: // reservations
                if (!p.TryGetValue("WorkerSid", out var worker))
                {
                    return VendorEvent.Reject(0, id, "WorkerSid", "is required");
                }

                json.String("agent_id", worker, "WorkerSid").String("agent_name", p.GetValueOrDefault("WorkerName"), "WorkerName");
                break;
        }

        if (json.BadField is { } bad)
        {
            return VendorEvent.Reject(0, id, bad, json.BadDescription!);
        }

        events.Insert(0, json.ToArray());
        return new VendorEvent.Translated(0, id, events, fields);
    }

    /// <summary>
    /// The event id of a callback without <c>Sid</c>: a digest of all its parameters, so that a redelivery (the same
    /// parameters) is a duplicate.
    /// </summary>
    private static string Digest(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            text.Append(name.Length).Append(':').Append(name).Append(value.Length).Append(':').Append(value);
        }

        return "twilio-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static bool TryAttributes(Dictionary<string, string> p, out JsonElement attributes)
    {
        attributes = default;
        if (!p.TryGetValue("TaskAttributes", out var text) || text.Length == 0)
        {
            return true;
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            attributes = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A string attribute of the Task, or null (also when the attribute is not a string).</summary>
    private static string? Text(JsonElement attributes, string name) =>
        attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    /// <summary>
    /// The §1 channel: Flex Conversations name the medium in the <c>channelType</c> attribute; otherwise the Task
    /// Channel says it. Work of another channel is a non-conversational work item (email, always active, SPEC §3.1).
    /// </summary>
    private static string Channel(string? taskChannel, string? channelType) =>
        channelType?.ToLowerInvariant() switch
        {
            "web" or "chat" => "chat",
            "sms" => "sms",
            "whatsapp" => "whatsapp",
            "messenger" or "gbm" or "instagram" or "facebook" => "social",
            "email" => "email",
            "voice" => "voice",
            _ => taskChannel?.ToLowerInvariant() switch
            {
                "voice" or "callback" or "video" => "voice",
                "chat" => "chat",
                "sms" => "sms",
                "whatsapp" => "whatsapp",
                "messaging" => "messaging",
                _ => "email",
            },
        };

    private static string Direction(string? direction, string? taskChannel)
    {
        if (direction is not null)
        {
            // Twilio Voice says "outbound-api" and "outbound-dial" for calls a Worker or the API placed.
            return direction.StartsWith("outbound", StringComparison.OrdinalIgnoreCase) ? "outbound" : "inbound";
        }

        // A callback Task is the agent calling the customer back.
        return string.Equals(taskChannel, "callback", StringComparison.OrdinalIgnoreCase) ? "outbound" : "inbound";
    }

    private static bool IsConversational(string channel) => channel is not ("voice" or "email");

    private static string Quote(string s) => s.Length <= 100 ? s : s[..100];
}
