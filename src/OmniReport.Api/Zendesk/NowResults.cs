using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using NodaTime;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Storage;

namespace OmniReport.Api.Zendesk;

/// <summary>200: <c>{"open_engagements": [...], "count": n}</c> (SPEC §9).</summary>
public sealed class OpenEngagementsResult(NowPage<OpenEngagementRow> page, long nowMs) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        using (var w = new Utf8JsonWriter(response.BodyWriter, Dialect.WriterOptions))
        {
            var sink = new EngagementJson(w);
            w.WriteStartObject();
            w.WriteStartArray("open_engagements"u8);
            foreach (var row in page.Rows)
            {
                sink.Write(row.Engagement, row.AgentName, Time.Seconds(row.Engagement.StartMs, nowMs));
            }

            w.WriteEndArray();
            w.WriteNumber("count"u8, page.Count);
            w.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(OpenEngagementsDoc), ["application/json"]));
    }
}

/// <summary>200: <c>{"waiting_interactions": [...], "count": n}</c> (SPEC §9).</summary>
public sealed class WaitingInteractionsResult(NowPage<WaitingInteraction> page, long nowMs) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        using (var w = new Utf8JsonWriter(response.BodyWriter, Dialect.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("waiting_interactions"u8);
            foreach (var x in page.Rows)
            {
                w.WriteStartObject();
                w.WriteString("interaction_id"u8, x.InteractionId);
                w.WriteString("interaction_type"u8, Vocabulary.Upper(x.Channel));
                w.WriteString("groups"u8, x.Groups);
                // The record's own time format (SPEC §4 as report files write it), in UTC.
                w.WriteString("start_date-time"u8, TimeText.Format(x.StartMs, DateTimeZone.Utc, ' '));
                w.WriteNumber("waiting_seconds"u8, Time.Seconds(x.StartMs, nowMs));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("count"u8, page.Count);
            w.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(WaitingInteractionsDoc), ["application/json"]));
    }
}
