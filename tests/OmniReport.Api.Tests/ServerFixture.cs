namespace OmniReport.Api.Tests;

/// <summary>One test-host server shared by a test class; every test makes its own account.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ApiServer? _server;

    public ApiServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
