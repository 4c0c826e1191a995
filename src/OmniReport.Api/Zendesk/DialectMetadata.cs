namespace OmniReport.Api.Zendesk;

/// <summary>Declares the dialect's error answers of an endpoint for the OpenAPI document.</summary>
internal static class DialectMetadata
{
    public static RouteHandlerBuilder ProducesDialectErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<ZendeskErrorBody>(status, "application/json");
        }

        return builder;
    }
}
