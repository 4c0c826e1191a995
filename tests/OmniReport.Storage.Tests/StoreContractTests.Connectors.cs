namespace OmniReport.Storage.Tests;

/// <summary>Connector secrets (SPEC §10), on every store.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Connector_secrets_are_set_replaced_removed_and_kept_per_account()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var other = await store.CreateAccountAsync("other");
        Assert.Null(await store.GetConnectorSecretAsync(acme.Id, "twilio"));

        await store.SetConnectorSecretAsync(acme.Id, "twilio", "first token");
        await store.SetConnectorSecretAsync(acme.Id, "twilio", "second token");
        Assert.Equal("second token", await store.GetConnectorSecretAsync(acme.Id, "twilio"));
        Assert.Null(await store.GetConnectorSecretAsync(other.Id, "twilio"));
        Assert.Null(await store.GetConnectorSecretAsync(acme.Id, "another-vendor"));

        await store.SetConnectorSecretAsync(acme.Id, "twilio", null);
        Assert.Null(await store.GetConnectorSecretAsync(acme.Id, "twilio"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SetConnectorSecretAsync(987_654, "twilio", "x"));
    }
}
