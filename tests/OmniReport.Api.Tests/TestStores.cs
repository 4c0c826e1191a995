using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>Opens the real stores the tests run against.</summary>
public static class TestStores
{
    public static Task<IStore> OpenSqliteAsync(string path, TimeProvider time) =>
        throw new NotImplementedException($"SQLite store not merged yet ({path}, {time})");
}
