using System.Text.Encodings.Web;
using System.Text.Json;

namespace OmniReport.Api.Hosting;

/// <summary>The serializer options the dialects' source-generated contexts share.</summary>
internal static class WireJson
{
    /// <summary>snake_case names, fields in the order of the records, UTF-8 text unescaped (as the field writer's).</summary>
    public static JsonSerializerOptions Options() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
