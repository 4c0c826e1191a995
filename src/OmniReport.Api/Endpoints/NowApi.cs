using Microsoft.AspNetCore.Http.HttpResults;
using OmniReport.Api.Auth;
using OmniReport.Api.Zendesk;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// What is happening now (SPEC §9 "Now"): <c>GET /api/v2/engagements/open</c> and
/// <c>GET /api/v2/interactions/waiting</c>, read from the state the projector stored (the open engagement on each
/// interaction's row, the record's status), at the service clock's now, never by deriving again.
/// </summary>
public static class NowApi
{
    /// <summary>The operation ids, which the OpenAPI setup gives their query parameters.</summary>
    internal static readonly string[] Operations = ["ListOpenEngagements", "ListWaitingInteractions"];

    /// <summary>Maps the two endpoints.</summary>
    public static IEndpointRouteBuilder MapNow(this IEndpointRouteBuilder app)
    {
        // A literal segment outranks /engagements/{engagement_id}, so "open" is never read as an engagement id (ids
        // are 32 hex digits).
        app.MapGet(Dialect.Prefix + "/engagements/open", ListOpenEngagements)
            .WithTags("Now").RequireScope(Scopes.ReportsRead)
            .WithName(Operations[0])
            .WithSummary("Engagements open now")
            .WithDescription("The engagements open at this moment, oldest start first, with the fields known so far "
                + "(the end fields are null), agent_name and open_seconds. count is the total; limit caps the rows.")
            .ProducesDialectErrors(400, 401, 403, 429);
        app.MapGet(Dialect.Prefix + "/interactions/waiting", ListWaitingInteractions)
            .WithTags("Now").RequireScope(Scopes.ReportsRead)
            .WithName(Operations[1])
            .WithSummary("Interactions waiting now")
            .WithDescription("The interactions that have not ended, are not solved, closed or deleted and have no human "
                + "assignee, longest wait first. waiting_seconds counts from start_date-time (UTC). count is the total.")
            .ProducesDialectErrors(400, 401, 403, 429);
        return app;
    }

    internal static async Task<Results<OpenEngagementsResult, ZendeskError>> ListOpenEngagements(
        Caller caller, HttpRequest request, IStore store, TimeProvider time, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!NowQueryString.TryParse(request.Query, nowMs, out var q, out var error))
        {
            return error!;
        }

        return new OpenEngagementsResult(await store.OpenEngagementsAsync(caller.AccountId, q!, ct).ConfigureAwait(false), nowMs);
    }

    internal static async Task<Results<WaitingInteractionsResult, ZendeskError>> ListWaitingInteractions(
        Caller caller, HttpRequest request, IStore store, TimeProvider time, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!NowQueryString.TryParse(request.Query, nowMs, out var q, out var error))
        {
            return error!;
        }

        return new WaitingInteractionsResult(await store.WaitingInteractionsAsync(caller.AccountId, q!, ct).ConfigureAwait(false), nowMs);
    }
}
