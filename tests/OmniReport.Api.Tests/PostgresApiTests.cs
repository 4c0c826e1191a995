using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>The HTTP paths again with the PostgreSQL store (skipped without a server, required in CI).</summary>
public sealed class PostgresApiTests
{
    [PostgresFact]
    public async Task Every_scenario_gives_the_expected_engagements_on_PostgreSQL()
    {
        await using var server = await ApiServer.StartAsync(postgres: true);
        foreach (var s in Scenarios.All())
        {
            foreach (var d in new[] { ScenarioTests.Delivery.Array, ScenarioTests.Delivery.Ndjson, ScenarioTests.Delivery.ShuffledWithDuplicates })
            {
                await ScenarioTests.RunAsync(server, s.Name, d);
            }
        }
    }

    [PostgresFact]
    public async Task Paging_returns_every_engagement_once_in_order_on_PostgreSQL()
    {
        await using var server = await ApiServer.StartAsync(postgres: true);
        var (tenant, expected) = await PagingTests.Data.LoadAsync(server);
        foreach (var row in PagingTests.Cases())
        {
            await PagingTests.CheckAsync(tenant, expected, (string)row[0], (int)row[1]);
        }
    }

    [PostgresFact]
    public async Task Concurrent_overlapping_batches_lose_nothing_and_double_nothing_on_PostgreSQL()
    {
        await using var server = await ApiServer.StartAsync(postgres: true);
        await IngestTests.ConcurrentOverlappingAsync(server);
    }
}
