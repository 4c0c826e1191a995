namespace OmniReport.Storage.Tests;

/// <summary>OAuth clients and their access tokens (SPEC §5.5) on every store.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task A_client_is_created_with_a_secret_kept_only_as_its_hash_and_found_by_its_id()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var created = await store.CreateOAuthClientAsync(acme.Id, Scopes.ReportsRead);
        Assert.Matches("^[0-9a-f]{32}$", created.Client.ClientId);
        Assert.StartsWith("omcs_", created.Secret, StringComparison.Ordinal);

        var found = await store.FindOAuthClientAsync(created.Client.ClientId);
        Assert.NotNull(found);
        Assert.Equal((created.Client.Id, acme.Id, Scopes.ReportsRead, T0.ToUnixTimeMilliseconds(), (long?)null),
            (found.Id, found.AccountId, found.Scopes, found.CreatedAtMs, found.RevokedAtMs));
        Assert.Equal(OAuthClients.HashSecret(created.Secret), found.SecretHash);
        Assert.DoesNotContain(created.Secret, System.Text.Encoding.UTF8.GetString(found.SecretHash), StringComparison.Ordinal);
        Assert.True(OAuthClients.SecretMatches(found, created.Secret));
        Assert.False(OAuthClients.SecretMatches(found, created.Secret + "x"));
        Assert.Null(await store.FindOAuthClientAsync("0123456789abcdef0123456789abcdef"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.CreateOAuthClientAsync(acme.Id + 1000, Scopes.All));
    }

    [StoreFact]
    public async Task Clients_are_listed_per_account_oldest_first_with_their_revocation()
    {
        var time = new ManualTimeProvider(T0);
        var store = await NewStoreAsync(time);
        var acme = await store.CreateAccountAsync("acme");
        var other = await store.CreateAccountAsync("other");
        var first = await store.CreateOAuthClientAsync(acme.Id, Scopes.All);
        time.Set(T0.AddMinutes(1));
        var second = await store.CreateOAuthClientAsync(acme.Id, Scopes.EventsWrite);
        await store.CreateOAuthClientAsync(other.Id, Scopes.All);
        time.Set(T0.AddMinutes(2));
        Assert.True(await store.RevokeOAuthClientAsync(first.Client.ClientId));
        time.Set(T0.AddMinutes(3));
        Assert.True(await store.RevokeOAuthClientAsync(first.Client.ClientId)); // again: keeps the first time
        Assert.False(await store.RevokeOAuthClientAsync("no-such-client"));

        var list = await store.ListOAuthClientsAsync(acme.Id);
        Assert.Equal([first.Client.ClientId, second.Client.ClientId], list.Select(c => c.ClientId));
        Assert.Equal([T0.AddMinutes(2).ToUnixTimeMilliseconds(), (long?)null], list.Select(c => c.RevokedAtMs));
        Assert.Single(await store.ListOAuthClientsAsync(other.Id));
    }

    [StoreFact]
    public async Task An_access_token_authenticates_as_its_clients_account_until_it_expires()
    {
        var time = new ManualTimeProvider(T0);
        var store = await NewStoreAsync(time);
        var acme = await store.CreateAccountAsync("acme");
        var client = (await store.CreateOAuthClientAsync(acme.Id, Scopes.All)).Client;
        var token = await store.IssueAccessTokenAsync(client.Id, Scopes.ReportsRead, OAuthClients.AccessTokenLifetime);
        Assert.NotNull(token);
        Assert.Equal(T0.AddHours(1).ToUnixTimeMilliseconds(), token.ExpiresAtMs);

        var id = await store.AuthenticateAsync(token.Token);
        Assert.NotNull(id);
        Assert.Equal((acme.Id, Scopes.ReportsRead, (long?)client.Id, (long?)token.ExpiresAtMs), (id.AccountId, id.Scopes, id.OAuthClientId, id.ExpiresAtMs));

        time.Set(T0.AddHours(1).AddMilliseconds(-1));
        Assert.NotNull(await store.AuthenticateAsync(token.Token));
        time.Set(T0.AddHours(1));
        Assert.Null(await store.AuthenticateAsync(token.Token));

        // A static token of §5.1 never expires and has no client.
        var plain = await store.CreateTokenAsync(acme.Id, Scopes.Admin);
        time.Set(T0.AddYears(5));
        var plainId = await store.AuthenticateAsync(plain);
        Assert.NotNull(plainId);
        Assert.Null(plainId.OAuthClientId);
        Assert.Null(plainId.ExpiresAtMs);
    }

    [StoreFact]
    public async Task Revoking_a_client_ends_its_tokens_and_gives_it_no_more()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var client = (await store.CreateOAuthClientAsync(acme.Id, Scopes.All)).Client;
        var kept = (await store.CreateOAuthClientAsync(acme.Id, Scopes.All)).Client;
        var token = (await store.IssueAccessTokenAsync(client.Id, Scopes.All, OAuthClients.AccessTokenLifetime))!;
        var other = (await store.IssueAccessTokenAsync(kept.Id, Scopes.All, OAuthClients.AccessTokenLifetime))!;

        Assert.True(await store.RevokeOAuthClientAsync(client.ClientId));
        Assert.Null(await store.AuthenticateAsync(token.Token));
        Assert.Null(await store.IssueAccessTokenAsync(client.Id, Scopes.All, OAuthClients.AccessTokenLifetime));
        Assert.NotNull(await store.AuthenticateAsync(other.Token));
        Assert.Null(await store.IssueAccessTokenAsync(kept.Id + 1000, Scopes.All, OAuthClients.AccessTokenLifetime));
    }

    [StoreFact]
    public async Task A_new_access_token_leaves_the_earlier_unexpired_ones_working()
    {
        var time = new ManualTimeProvider(T0);
        var store = await NewStoreAsync(time);
        var acme = await store.CreateAccountAsync("acme");
        var client = (await store.CreateOAuthClientAsync(acme.Id, Scopes.All)).Client;
        var first = (await store.IssueAccessTokenAsync(client.Id, Scopes.All, OAuthClients.AccessTokenLifetime))!;
        time.Set(T0.AddMinutes(30));
        var second = (await store.IssueAccessTokenAsync(client.Id, Scopes.All, OAuthClients.AccessTokenLifetime))!;
        Assert.NotEqual(first.Token, second.Token);
        Assert.NotNull(await store.AuthenticateAsync(first.Token));
        time.Set(T0.AddMinutes(61));
        var third = (await store.IssueAccessTokenAsync(client.Id, Scopes.All, OAuthClients.AccessTokenLifetime))!;
        Assert.Null(await store.AuthenticateAsync(first.Token));
        Assert.NotNull(await store.AuthenticateAsync(second.Token));
        Assert.NotNull(await store.AuthenticateAsync(third.Token));
    }

    [StoreFact]
    public async Task No_token_issued_while_its_client_is_revoked_works_after_the_revoke()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var client = (await store.CreateOAuthClientAsync(acme.Id, Scopes.All)).Client;
        var issues = Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.IssueAccessTokenAsync(client.Id, Scopes.All, OAuthClients.AccessTokenLifetime))).ToList();
        var revoke = Task.Run(() => store.RevokeOAuthClientAsync(client.ClientId));
        Assert.True(await revoke);
        foreach (var token in await Task.WhenAll(issues))
        {
            if (token is not null)
            {
                Assert.Null(await store.AuthenticateAsync(token.Token));
            }
        }
    }
}
