using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>Opens the real stores the tests run against (migrated, as the server gets them).</summary>
public static class TestStores
{
    public static Task<IStore> OpenSqliteAsync(string path, TimeProvider time) => StoreFactory.OpenAsync(path, time);
}
