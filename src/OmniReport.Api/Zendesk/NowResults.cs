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
    public Task ExecuteAsync(HttpContext httpContext) => ListJson.WriteAsync(httpContext, "open_engagements", page.Count, w =>
    {
        var sink = new EngagementJson(w);
        foreach (var row in page.Rows)
        {
            sink.Write(row.Engagement, row.AgentName, Time.Seconds(row.Engagement.StartMs, nowMs));
        }
    });

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
    public Task ExecuteAsync(HttpContext httpContext) => ListJson.WriteAsync(httpContext, "waiting_interactions", page.Count, w =>
    {
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
    });

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(WaitingInteractionsDoc), ["application/json"]));
    }
}
