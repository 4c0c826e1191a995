using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using OmniReport.Core.Derivation;

namespace OmniReport.Api.Zendesk;

/// <summary>200: one bare engagement object (<c>GET /api/v2/engagements/{id}</c>).</summary>
public sealed class EngagementObjectResult(Engagement engagement) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
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
            new EngagementJson(w).Write(engagement);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(EngagementDoc), ["application/json"]));
    }
}

/// <summary>
/// 200: one page of <c>GET /api/v2/engagements</c>:
/// <c>{"agent_engagement_data": [...], "next_page_url": url|null, "has_more": bool, "page_size": rows}</c>.
/// </summary>
public sealed class EngagementPageResult(IReadOnlyList<Engagement> rows, string? nextPageUrl) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <summary>The rows of the page.</summary>
    public IReadOnlyList<Engagement> Rows => rows;

    /// <summary>The next page, or null.</summary>
    public string? NextPageUrl => nextPageUrl;

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
            w.WriteStartArray("agent_engagement_data"u8);
            foreach (var e in rows)
            {
                sink.Write(e);
            }

            w.WriteEndArray();
            if (nextPageUrl is null)
            {
                w.WriteNull("next_page_url"u8);
            }
            else
            {
                w.WriteString("next_page_url"u8, nextPageUrl);
            }

            w.WriteBoolean("has_more"u8, nextPageUrl is not null);
            w.WriteNumber("page_size"u8, rows.Count);
            w.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(EngagementPageDoc), ["application/json"]));
    }
}
