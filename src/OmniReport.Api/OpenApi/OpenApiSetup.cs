using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OmniReport.Api.Endpoints;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Reports;

namespace OmniReport.Api.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, kept in <c>docs/openapi.json</c>): generated from the endpoints,
/// plus what the generator cannot see: the two ways to send a token, the scope of each operation and the query
/// parameters of the engagements list and the "now" lists, which their handlers read itself so that it can name a bad one.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static IServiceCollection AddOmniReportOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info = new OpenApiInfo
                {
                    Title = "OmniReport",
                    Version = "v1",
                    Description = "Contact-centre events in; engagements out, through an API wire-compatible with "
                        + "Zendesk's Omnichannel Engagements API. Errors under /api/v2 are "
                        + "{\"error\", \"description\", \"details\"}; every authenticated answer carries X-Rate-Limit and "
                        + "X-Rate-Limit-Remaining, and 429 carries Retry-After (seconds).",
                };
                doc.Servers = [];
                doc.Components ??= new OpenApiComponents();
                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "Authorization: Bearer {token}",
                };
                doc.Components.SecuritySchemes["client_basic"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "basic",
                    Description = "OAuth client authentication at POST /oauth/token: Authorization: Basic base64(\"{client_id}:{client_secret}\")",
                };
                doc.Components.SecuritySchemes["zendesk_basic"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "basic",
                    Description = "Zendesk style: Authorization: Basic base64(\"{email}/token:{token}\")",
                };
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, ctx, _) =>
            {
                if (ctx.JsonTypeInfo.Type == typeof(EngagementObject))
                {
                    DescribeEngagement(schema);
                }
                else if (ctx.JsonTypeInfo.Type == typeof(EngagementPage) && schema.Properties is { } fields
                    && fields.TryGetValue("agent_engagement_data", out var list) && list is OpenApiSchema rows)
                {
                    // The generator leaves the items of a list of converter-written objects undescribed.
                    var engagement = new OpenApiSchema();
                    DescribeEngagement(engagement);
                    rows.Items = engagement;
                }

                return Task.CompletedTask;
            });
            o.AddOperationTransformer((op, ctx, _) =>
            {
                var scope = ctx.Description.ActionDescriptor.EndpointMetadata.OfType<Auth.RequiredScope>().FirstOrDefault();
                if (scope is not null)
                {
                    op.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", ctx.Document)] = [scope.Name] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("zendesk_basic", ctx.Document)] = [scope.Name] },
                    ];
                    op.Description = $"{op.Description} Scope: {scope.Name}.".Trim();
                }

                var table = op.OperationId == EngagementsApi.ListOperation ? EngagementListQuery.Parameters
                    : NowApi.Operations.Contains(op.OperationId) ? NowQueryString.Parameters
                    : null;
                if (table is not null)
                {
                    op.Parameters ??= [];
                    foreach (var (name, integer, description) in table)
                    {
                        op.Parameters.Add(new OpenApiParameter
                        {
                            Name = name,
                            In = ParameterLocation.Query,
                            Description = description,
                            Schema = integer
                                ? new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" }
                                : new OpenApiSchema { Type = JsonSchemaType.String },
                        });
                    }
                }

                if (op.OperationId == StreamApi.Operation)
                {
                    op.Parameters ??= [];
                    foreach (var (name, location, description) in StreamApi.Parameters)
                    {
                        op.Parameters.Add(new OpenApiParameter
                        {
                            Name = name,
                            In = location,
                            Description = description,
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        });
                    }
                }

                if (op.OperationId == ReportJobsApi.DownloadOperation && op.Responses?["200"] is OpenApiResponse { Content: { } formats })
                {
                    foreach (var media in (string[])["application/x-ndjson", "text/csv"])
                    {
                        formats[media] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                    }
                }

                if (op.OperationId == OAuthTokenApi.Operation)
                {
                    op.RequestBody = new OpenApiRequestBody
                    {
                        Required = false,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/x-www-form-urlencoded"] = new()
                            {
                                Schema = new OpenApiSchema
                                {
                                    Type = JsonSchemaType.Object,
                                    Properties = OAuthTokenApi.FormFields.ToDictionary(
                                        f => f.Name, IOpenApiSchema (f) => new OpenApiSchema { Type = JsonSchemaType.String, Description = f.Description }),
                                },
                            },
                        },
                    };
                    op.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("client_basic", ctx.Document)] = [] },
                        new OpenApiSecurityRequirement(),
                    ];
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// The engagement object's schema, from the field list the field writer writes by (its converter hides the
    /// fields from the schema generator): every field, in wire order, with the JSON types it takes.
    /// </summary>
    private static void DescribeEngagement(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Object;
        schema.Description = "An engagement: one human agent's leg of one interaction. Fields appear in this order.";
        schema.Properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var f in RecordFields.EngagementFields)
        {
            schema.Properties[f.Name] = new OpenApiSchema
            {
                Type = f.Kind switch
                {
                    FieldKind.Text => JsonSchemaType.String,
                    FieldKind.Number => JsonSchemaType.Integer,
                    FieldKind.NumberOrNull => JsonSchemaType.Integer | JsonSchemaType.Null,
                    FieldKind.Id => JsonSchemaType.Integer | JsonSchemaType.String,
                    _ => JsonSchemaType.Integer | JsonSchemaType.String | JsonSchemaType.Null,
                },
                Format = f.Kind is FieldKind.Number or FieldKind.NumberOrNull ? "int64" : null,
                Description = f.Description,
            };
        }

        schema.Required = new HashSet<string>(RecordFields.Engagement);
        schema.AdditionalPropertiesAllowed = false;
    }
}
