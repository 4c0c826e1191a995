using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmniReport.Api.Auth;
using OmniReport.Api.Ingest;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Events;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary><c>POST /api/v2/events</c> (SPEC §5.2): ingest in all three body forms, with a result per event.</summary>
public static class EventsApi
{
    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Dialect.Prefix + "/events").WithTags("Events").RequireScope(Scopes.EventsWrite);
        group.MapPost("", PostEvents)
            .WithName("PostEvents")
            .WithSummary("Ingest events")
            .WithDescription("A JSON array of events, {\"events\": [...]}, or NDJSON (Content-Type: application/x-ndjson). "
                + "At most 10,000 events and 10 MB. Invalid events are rejected one by one; the others are stored. "
                + "Accepted events are durable when the answer is sent.")
            .Accepts<EventEnvelope[]>("application/json", "application/x-ndjson") // or {"events": [...]}
            .Produces<IngestResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(400, 401, 403, 413, 415, 429);
        return app;
    }

    internal static async Task<Results<JsonHttpResult<IngestResponse>, ZendeskError>> PostEvents(
        Caller caller, HttpRequest request, IStore store, IOptions<ApiOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        using var body = await RequestBody.ReadAsync(request, limits.MaxIngestBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            return TooLarge($"the body is larger than {limits.MaxIngestBytes} bytes");
        }

        // SPEC §1: a UTF-8 byte-order mark at the start of a body is skipped.
        var memory = body.Memory[(body.Span.StartsWith("\uFEFF"u8) ? 3 : 0)..];
        var bytes = memory.Span;
        var records = new List<EventRecord>();
        var errors = new List<EventError>();
        EventError? broken = null;
        if (IsNdjson(request.ContentType))
        {
            if (EventBatch.SplitLines(bytes, limits.MaxIngestEvents, records) == EventBatch.Outcome.TooMany)
            {
                return TooLarge($"more than {limits.MaxIngestEvents} events");
            }
        }
        else
        {
            switch (EventBatch.SplitJson(bytes, limits.MaxIngestEvents, records, out var problem))
            {
                case EventBatch.Outcome.TooMany:
                    return TooLarge($"more than {limits.MaxIngestEvents} events");
                case EventBatch.Outcome.NotJson:
                    return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest, problem!);
                case EventBatch.Outcome.Broken:
                    // decisions.md: a broken array costs only what follows the break; the break is one rejection.
                    broken = new EventError(records.Count, null, null, problem!);
                    break;
            }
        }

        // The front end of import and derive: a large body is parsed on every core, the results kept in order.
        var events = new List<Event>(records.Count);
        var threads = limits.ParseThreads == 0 ? ParallelEventReader.DefaultWorkers : limits.ParseThreads;
        ParallelEventReader.Parse(memory, records, threads, (_, _, ev, error) =>
        {
            if (ev is not null)
            {
                events.Add(ev);
            }
            else
            {
                errors.Add(error!);
            }
        });

        if (broken is not null)
        {
            errors.Add(broken);
        }

        var accepted = 0;
        if (events.Count > 0)
        {
            // Not the request's token: once the batch is handed over it commits or fails as a whole.
            var result = await store.IngestAsync(caller.AccountId, events, CancellationToken.None).ConfigureAwait(false);
            accepted = result.AcceptedCount;
        }

        return Dialect.Ok(new IngestResponse(accepted, events.Count - accepted, errors.Count, errors));
    }

    private static ZendeskError TooLarge(string what) =>
        Dialect.Error(StatusCodes.Status413PayloadTooLarge, Dialect.Codes.PayloadTooLarge, $"Too large: {what}.");

    private static bool IsNdjson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var semi = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semi < 0 ? contentType : contentType[..semi]).Trim();
        return media.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/ndjson", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/jsonl", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/x-jsonlines", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The answer to an ingest request.</summary>
/// <param name="Accepted">Events stored.</param>
/// <param name="Duplicates">Events whose id the account already had (or that repeat one in the batch).</param>
/// <param name="Rejected">Invalid events.</param>
/// <param name="Errors">One entry per rejected event, by index.</param>
public sealed record IngestResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventError> Errors);

/// <summary>
/// The envelope of an event (SPEC §1), describing the request body for the OpenAPI document; the other fields depend
/// on the type. The endpoint reads bodies with Core's <see cref="EventParser"/> rather than deserializing this type,
/// so that it can reject one event alone and name its field.
/// </summary>
/// <param name="Id">The event's id, unique in the account.</param>
/// <param name="Type">The event type.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="InteractionId">The interaction it belongs to.</param>
[System.ComponentModel.Description("An event: the envelope below plus the fields of its type (SPEC §1).")]
public sealed record EventEnvelope(
    string Id,
    [property: System.ComponentModel.Description("interaction.created, message.created, offer.created, offer.accepted, offer.declined, offer.expired, assignment.changed, transfer.created, status.changed, conversation.ended, interaction.ended, interaction.updated")] string Type,
    [property: System.ComponentModel.Description("RFC 3339 with offset.")] string OccurredAt,
    string InteractionId);
