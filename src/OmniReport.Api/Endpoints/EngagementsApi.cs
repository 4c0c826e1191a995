using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OmniReport.Api.Auth;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Derivation;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// <c>GET /api/v2/engagements</c> and <c>GET /api/v2/engagements/{engagement_id}</c> (SPEC §5.3), wire-compatible
/// with Zendesk's Omnichannel Engagements API: keyset-paged by (start second, engagement_id).
/// </summary>
public static class EngagementsApi
{
    /// <summary>The operation id of the list, which the OpenAPI setup gives its query parameters.</summary>
    internal const string ListOperation = "ListEngagements";

    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapEngagements(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Dialect.Prefix + "/engagements").WithTags("Engagements").RequireScope(Scopes.ReportsRead);
        group.MapGet("", ListEngagements)
            .WithName(ListOperation)
            .WithSummary("List engagements")
            .WithDescription("Ended, logged engagements ordered by start (whole Unix seconds), then engagement_id. "
                + "Follow next_page_url until it is null to read every engagement exactly once.")
            .Produces<EngagementPage>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(400, 401, 403, 429);
        group.MapGet("/{engagement_id}", GetEngagement)
            .WithName("GetEngagement")
            .WithSummary("Show an engagement")
            .Produces<EngagementObject>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(401, 403, 404, 429);
        return app;
    }

    internal static async Task<Results<JsonHttpResult<EngagementPage>, ZendeskError>> ListEngagements(
        Caller caller, HttpRequest request, IStore store, CancellationToken ct)
    {
        if (!EngagementListQuery.TryParse(request.Query, out var q, out var error))
        {
            return error!;
        }

        var rows = new List<EngagementObject>(q!.Query.Limit);
        await foreach (var e in store.QueryEngagementsAsync(caller.AccountId, q.Query, ct).ConfigureAwait(false))
        {
            rows.Add(new EngagementObject(e));
            if (rows.Count == q.Query.Limit)
            {
                break;
            }
        }

        string? next = null;
        if (rows.Count > q.PageSize)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1].Engagement;
            next = q.NextPageUrl(request, last.StartSecond, last.EngagementId);
        }

        return Dialect.Ok(new EngagementPage(rows, next, next is not null, rows.Count));
    }

    internal static async Task<Results<JsonHttpResult<EngagementObject>, ZendeskError>> GetEngagement(
        Caller caller, [FromRoute(Name = "engagement_id")] string engagementId, IStore store, CancellationToken ct)
    {
        var e = await store.GetEngagementAsync(caller.AccountId, engagementId, ct).ConfigureAwait(false);
        return e is null
            ? Dialect.Error(StatusCodes.Status404NotFound, Dialect.Codes.RecordNotFound, $"No engagement {engagementId}.")
            : Dialect.Ok(new EngagementObject(e));
    }
}
