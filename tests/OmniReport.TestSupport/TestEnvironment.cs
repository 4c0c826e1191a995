namespace OmniReport.TestSupport;

/// <summary>
/// What the test run was given beyond the .NET SDK, and what it must not skip. Tests that need a part the machine may
/// lack (PostgreSQL, Chromium) skip with a reason without it, unless the run requires the part (CI): then they fail.
/// </summary>
public static class TestEnvironment
{
    /// <summary>The variable that holds the throw-away PostgreSQL server's connection string (scripts/with-postgres.sh).</summary>
    public const string PostgresVariable = "OMNIREPORT_TEST_POSTGRES";

    /// <summary>The PostgreSQL server of the test run, or null when none was started.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>True when PostgreSQL tests must run (CI=true or OMNIREPORT_REQUIRE_POSTGRES=1).</summary>
    public static bool PostgresRequired => Requires("OMNIREPORT_REQUIRE_POSTGRES");

    /// <summary>True when CI=true or <paramref name="variable"/> is 1: a missing part is then a failure, not a skip.</summary>
    public static bool Requires(string variable) =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable(variable) == "1";
}
