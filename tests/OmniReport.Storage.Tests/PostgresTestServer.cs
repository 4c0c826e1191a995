using OmniReport.TestSupport;

namespace OmniReport.Storage.Tests;

/// <summary>
/// The PostgreSQL server of the test run: its connection string comes from OMNIREPORT_TEST_POSTGRES, which
/// scripts/with-postgres.sh sets after starting a throw-away cluster. Without it the PostgreSQL tests are
/// skipped with a reason, unless CI=true or OMNIREPORT_REQUIRE_POSTGRES=1: then they fail.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = TestEnvironment.PostgresVariable;

    public static string? ConnectionString => TestEnvironment.PostgresServer;

    public static bool Required => TestEnvironment.PostgresRequired;

    /// <summary>Why the PostgreSQL tests are skipped, or null when they run.</summary>
    public static string? SkipReason => ConnectionString is null && !Required
        ? $"PostgreSQL not available: {Variable} is not set (install PostgreSQL and run ./test.sh, which starts a throw-away server; CI=true or OMNIREPORT_REQUIRE_POSTGRES=1 makes this a failure)"
        : null;

    public static string RequireConnectionString() => ConnectionString
        ?? throw new InvalidOperationException($"PostgreSQL is required (CI=true or OMNIREPORT_REQUIRE_POSTGRES=1) but {Variable} is not set: scripts/with-postgres.sh could not start a server");
}
