// A bare ASP.NET Core app answering fixed JSON: GET /page serves a captured OmniReport page byte for byte; POST
// /ingest reads the whole body and answers a fixed ingest result. Usage: BareServer URL PAGE_FILE
var page = await File.ReadAllBytesAsync(args[1]);
var ingested = """{"accepted":1000,"duplicates":0,"rejected":0,"errors":[]}"""u8.ToArray();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(args[0]);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 10 * 1024 * 1024);
var app = builder.Build();
app.MapGet("/page", () => Results.Bytes(page, "application/json; charset=utf-8"));
app.MapPost("/ingest", async (HttpRequest request) =>
{
    var buffer = new byte[64 * 1024];
    while (await request.Body.ReadAsync(buffer) > 0)
    {
    }

    return Results.Bytes(ingested, "application/json; charset=utf-8");
});
await app.RunAsync();
