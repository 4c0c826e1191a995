using OmniReport.Api.Auth;
using OmniReport.Api.Zendesk;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// Names for ids: <c>GET /api/v2/agents</c> (each agent's account-wide name, SPEC §1) and <c>GET /api/v2/groups</c>
/// (each group id with the <c>groups</c> texts of its interaction records, SPEC §4). Engagements and aggregates carry
/// ids only; the dashboard shows names and filters interaction aggregates, which know a group by its <c>groups</c>
/// text, by the group the page's control chose.
/// </summary>
public static class DirectoryApi
{
    /// <summary>Maps the two lists.</summary>
    public static IEndpointRouteBuilder MapDirectory(this IEndpointRouteBuilder app)
    {
        app.MapGet(Dialect.Prefix + "/agents", ListAgents)
            .WithTags("Directory").RequireScope(Scopes.ReportsRead)
            .WithName("ListAgents")
            .WithSummary("Agents and bots with their names")
            .WithDescription("Every agent or bot an event named with a name, by id (ordinal): its name is the one on the latest event "
                + "that names it. Ids are typed as in engagement objects. Agents no event named with a name are not listed.")
            .ProducesDialectErrors(401, 403, 429);
        app.MapGet(Dialect.Prefix + "/groups", ListGroups)
            .WithTags("Directory").RequireScope(Scopes.ReportsRead)
            .WithName("ListGroups")
            .WithSummary("Groups with their names")
            .WithDescription("Every group id of an interaction record (its current group) or a logged engagement (its group at the start), "
                + "by id (ordinal). names: the groups texts of the interaction records whose current group it is (its name, or its id "
                + "when their events gave no name), most frequent first; they are what the groups filter of "
                + "POST /api/v2/interactions/aggregates matches for this group. name: the first of them, or null.")
            .ProducesDialectErrors(401, 403, 429);
        return app;
    }

    internal static async Task<AgentsResult> ListAgents(Caller caller, IStore store, CancellationToken ct) =>
        new(await store.AgentsAsync(caller.AccountId, ct).ConfigureAwait(false));

    internal static async Task<GroupsResult> ListGroups(Caller caller, IStore store, CancellationToken ct) =>
        new(await store.GroupsAsync(caller.AccountId, ct).ConfigureAwait(false));
}
