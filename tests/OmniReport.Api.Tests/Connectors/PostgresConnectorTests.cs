namespace OmniReport.Api.Tests.Connectors;

/// <summary>The connectors again with the PostgreSQL store (skipped without a server, required in CI).</summary>
public sealed class PostgresConnectorTests
{
    [PostgresFact]
    public async Task Twilio_signatures_and_every_sequence_on_PostgreSQL()
    {
        await using var server = await ApiServer.StartAsync(postgres: true);
        await TwilioConnectorTests.SignatureChecksAsync(server);
        foreach (var name in TwilioConnectorTests.SequenceNames())
        {
            await TwilioConnectorTests.CheckSequenceAsync(server, name);
        }
    }

    [PostgresFact]
    public async Task Amazon_Connect_every_sequence_on_PostgreSQL()
    {
        await using var server = await ApiServer.StartAsync(postgres: true);
        foreach (var name in AmazonConnectConnectorTests.SequenceNames())
        {
            await AmazonConnectConnectorTests.CheckSequenceAsync(server, name);
        }
    }
}
