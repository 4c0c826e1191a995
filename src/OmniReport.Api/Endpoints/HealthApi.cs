using Microsoft.AspNetCore.Http.HttpResults;

namespace OmniReport.Api.Endpoints;

/// <summary><c>GET /healthz</c>: 200 without a token once the service takes requests.</summary>
public static class HealthApi
{
    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealth).WithName("GetHealth").WithTags("Health").WithSummary("Liveness and readiness");
        return app;
    }

    internal static Ok<Health> GetHealth() => TypedResults.Ok(new Health("ok"));
}

/// <summary>The health answer.</summary>
/// <param name="Status">"ok".</param>
public sealed record Health(string Status);
