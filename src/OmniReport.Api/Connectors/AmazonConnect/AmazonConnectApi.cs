using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmniReport.Api.Auth;
using OmniReport.Api.Ingest;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Events;
using OmniReport.Storage;

namespace OmniReport.Api.Connectors.AmazonConnect;

/// <summary>
/// The Amazon Connect connector (SPEC §10): <c>POST /api/v2/connectors/amazon-connect</c> takes the contact events an
/// EventBridge rule sends through an API destination, one event or a JSON array of them.
/// </summary>
public static class AmazonConnectApi
{
    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapAmazonConnectConnector(this IEndpointRouteBuilder app)
    {
        app.MapGroup(Dialect.Prefix + "/connectors/amazon-connect").WithTags("Connectors").RequireScope(Scopes.EventsWrite)
            .MapPost("", PostEvents)
            .WithName("PostAmazonConnectEvents")
            .WithSummary("Ingest Amazon Connect contact events")
            .WithDescription("One EventBridge event (detail-type \"Amazon Connect Contact Event\") or a JSON array of them, as an "
                + "EventBridge API destination sends them. Answers like POST /api/v2/events, plus the number of events ignored.")
            .Accepts<ContactEventDoc[]>("application/json")
            .Produces<ConnectorResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(400, 401, 403, 413, 429);
        return app;
    }

    internal static async Task<Results<JsonHttpResult<ConnectorResponse>, ZendeskError>> PostEvents(
        Caller caller, HttpRequest request, IStore store, IOptions<ApiOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        using var body = await RequestBody.ReadAsync(request, limits.MaxIngestBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            return TooLarge($"the body is larger than {limits.MaxIngestBytes} bytes");
        }

        // A UTF-8 byte-order mark at the start is skipped (SPEC §1).
        var json = body.Memory[(body.Span.StartsWith("\uFEFF"u8) ? 3 : 0)..];
        var first = json.Span.TrimStart(" \t\r\n"u8);
        var records = new List<EventRecord>();
        if (first.Length > 0 && first[0] == (byte)'{')
        {
            // One EventBridge event: the body must be JSON as a whole, as for POST /api/v2/events.
            if (NotJson(json.Span) is { } problem)
            {
                return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest, problem);
            }

            records.Add(new EventRecord(0, 0, json.Length));
        }
        else
        {
            switch (EventBatch.SplitJson(json.Span, limits.MaxIngestEvents, records, out var problem))
            {
                case EventBatch.Outcome.TooMany:
                    return TooLarge($"more than {limits.MaxIngestEvents} events");
                case EventBatch.Outcome.NotJson:
                    return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest,
                        problem!.Replace("\"events\" array", "array of EventBridge events", StringComparison.Ordinal));
                case EventBatch.Outcome.Broken:
                    // decisions.md: a broken array from a connector is refused whole (the sender redelivers it).
                    return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest, $"the body is not valid JSON: {problem}");
            }
        }

        var vendorEvents = records.Select(r => ContactEvents.Map(json.Slice(r.Start, r.Length), r.Index)).ToList();
        return Dialect.Ok(await ConnectorIngest.IngestAsync(store, caller.AccountId, vendorEvents).ConfigureAwait(false));
    }

    private static string? NotJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            reader.Read();
            reader.Skip();
            while (reader.Read())
            {
                // text after the event is an error the reader throws on
            }

            return null;
        }
        catch (JsonException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return $"the body is not valid JSON: {(cut > 0 ? message[..cut] : message)}";
        }
    }

    private static ZendeskError TooLarge(string what) =>
        Dialect.Error(StatusCodes.Status413PayloadTooLarge, Dialect.Codes.PayloadTooLarge, $"Too large: {what}.");
}

/// <summary>The parts of an Amazon Connect contact event OmniReport reads (docs/connectors.md).</summary>
internal sealed record ContactEventDoc(
    string Id,
    [property: System.Text.Json.Serialization.JsonPropertyName("detail-type")] string DetailType,
    string Time,
    ContactEventDetailDoc Detail);

/// <summary>The contact event's <c>detail</c>, as far as OmniReport reads it.</summary>
internal sealed record ContactEventDetailDoc(
    [property: System.Text.Json.Serialization.JsonPropertyName("eventType")] string EventType,
    [property: System.Text.Json.Serialization.JsonPropertyName("contactId")] string ContactId,
    [property: System.Text.Json.Serialization.JsonPropertyName("initialContactId")] string? InitialContactId,
    [property: System.Text.Json.Serialization.JsonPropertyName("channel")] string? Channel,
    [property: System.Text.Json.Serialization.JsonPropertyName("initiationMethod")] string? InitiationMethod,
    [property: System.Text.Json.Serialization.JsonPropertyName("initiationTimestamp")] string? InitiationTimestamp,
    [property: System.Text.Json.Serialization.JsonPropertyName("disconnectTimestamp")] string? DisconnectTimestamp);
