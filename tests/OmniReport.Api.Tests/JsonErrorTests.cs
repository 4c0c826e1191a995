using System.Net;
using System.Text;

namespace OmniReport.Api.Tests;

/// <summary>A body that is not JSON is named by line and column from 1, never with the JSON reader's own text.</summary>
public sealed class JsonErrorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("PUT", "/api/v2/settings")]
    [InlineData("POST", "/data/reports/engagements/jobs")]
    public async Task A_body_that_is_not_JSON_names_the_line_and_column_from_1(string method, string path)
    {
        var t = await fixture.Server.NewAccountAsync();
        using var response = await t.SendAsync(new HttpMethod(method), path, new StringContent("{\n  \"format\": \"json\",\n  oops\n}", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, text);
        Assert.Contains("is not valid JSON (line 3, column 3)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", text, StringComparison.Ordinal);
    }
}
