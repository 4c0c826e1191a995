namespace OmniReport.Api.Tests.Aggregates;

/// <summary>SPEC §7 on SQLite: the endpoints equal the brute-force reference through late events, settings and rebuild.</summary>
public sealed class AggregateTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task Aggregates_equal_the_reference_in_five_zones_through_late_events_settings_and_rebuild() =>
        AggregateProperty.RunAsync(fixture.Server, seed: 11);
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class PostgresAggregateTests
{
    [PostgresFact]
    public async Task Aggregates_equal_the_reference_in_five_zones_through_late_events_settings_and_rebuild_on_PostgreSQL()
    {
        await using var server = await ApiServer.StartAsync(postgres: true);
        await AggregateProperty.RunAsync(server, seed: 23);
    }
}
