using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmniReport.Api.Auth;
using OmniReport.Api.Ingest;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Aggregates;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// <c>POST /api/v2/engagements/aggregates</c> and <c>POST /api/v2/interactions/aggregates</c> (SPEC §7): counts and
/// statistics by group and time bucket, as JSON or, with <c>Accept: text/csv</c>, one CSV row per group × bucket.
/// </summary>
public static class AggregatesApi
{
    /// <summary>Maps the two resources.</summary>
    public static IEndpointRouteBuilder MapAggregates(this IEndpointRouteBuilder app)
    {
        Map(app, "/engagements/aggregates", "AggregateEngagements", AggregateKind.Engagements, "Engagements");
        Map(app, "/interactions/aggregates", "AggregateInteractions", AggregateKind.Interactions, "Interactions");
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string path, string name, AggregateKind kind, string tag)
    {
        app.MapPost(Dialect.Prefix + path, (Caller caller, HttpRequest request, IStore store, IOptions<ApiOptions> options, CancellationToken ct) =>
                Aggregate(kind, caller, request, store, options, ct))
            .RequireScope(Scopes.ReportsRead)
            .WithTags(tag)
            .WithName(name)
            .WithSummary($"Aggregate {kind.Name}")
            .WithDescription($"Counts and statistics of {kind.Name} by group and time bucket (SPEC §7). Metrics: {string.Join(", ", kind.Metrics)}. "
                + $"Group-by and filter fields: {string.Join(", ", kind.Dimensions.Select(d => d.Name))}. "
                + "Accept: text/csv answers one row per group × bucket. A bad body: 422 InvalidValue naming the field.")
            .Accepts<AggregateRequestDoc>("application/json")
            .Produces<AggregateAnswerDoc>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesDialectErrors(401, 403, 413, 422, 429);
    }

    internal static async Task<Results<AggregateResult, ZendeskError>> Aggregate(
        AggregateKind kind, Caller caller, HttpRequest request, IStore store, IOptions<ApiOptions> options, CancellationToken ct)
    {
        AggregateRequest? parsed;
        Core.Reports.FieldProblem? problem;
        using (var body = await RequestBody.ReadAsync(request, options.Value.MaxSettingsBytes, ct).ConfigureAwait(false))
        {
            if (body is null)
            {
                return Dialect.Error(StatusCodes.Status413PayloadTooLarge, Dialect.Codes.PayloadTooLarge,
                    $"Too large: the body is larger than {options.Value.MaxSettingsBytes} bytes.");
            }

            AggregateRequest.TryParse(kind, body.Span, out parsed, out problem);
        }

        if (problem is not null)
        {
            return Dialect.FieldError(StatusCodes.Status422UnprocessableEntity, problem.Name, problem.Description);
        }

        var aggregation = new Aggregation(parsed!);
        _ = await AggregateReads.FillAsync(store, caller.AccountId, aggregation, ct).ConfigureAwait(false);
        if (!aggregation.WithinLimit)
        {
            return Dialect.FieldError(StatusCodes.Status422UnprocessableEntity, parsed!.GroupBy.Count > 0 ? "group_by" : "granularity",
                $"the answer would have {aggregation.Starts.LongLength * aggregation.GroupCount} buckets × groups, more than {AggregateRequest.MaxCells}: "
                + "choose a coarser granularity, a shorter interval, fewer group_by fields or a filter");
        }

        return new AggregateResult(aggregation, WantsCsv(request));
    }

    private static bool WantsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
}

/// <summary>200: an aggregates answer, JSON or CSV.</summary>
public sealed class AggregateResult(Aggregation aggregation, bool csv) : IResult, IStatusCodeHttpResult
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        if (csv)
        {
            response.ContentType = "text/csv; charset=utf-8";
            var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            AggregateWriter.WriteCsv(text, aggregation);
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), httpContext.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = "application/json; charset=utf-8";
        // Streamed: the answer goes out in pieces as it is written (a year by agent is about 5 MB).
        var body = response.BodyWriter;
        await using var w = new Utf8JsonWriter(body, Dialect.WriterOptions);
        await AggregateWriter.WriteJsonAsync(w, aggregation, async ct => await body.FlushAsync(ct).ConfigureAwait(false), httpContext.RequestAborted).ConfigureAwait(false);
    }
}
