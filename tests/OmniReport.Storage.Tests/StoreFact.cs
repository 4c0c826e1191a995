using Xunit.Abstractions;
using Xunit.Sdk;

namespace OmniReport.Storage.Tests;

/// <summary>
/// A fact of the store contract suite. It runs in every subclass; in a subclass whose database is not
/// available it is reported as skipped, with the reason, unless the environment requires that database
/// (CI): then it runs and fails.
/// </summary>
[XunitTestCaseDiscoverer("OmniReport.Storage.Tests.StoreFactDiscoverer", "OmniReport.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>The theory form of <see cref="StoreFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("OmniReport.Storage.Tests.StoreTheoryDiscoverer", "OmniReport.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

/// <summary>Marks a test class that needs PostgreSQL.</summary>
public interface INeedsPostgres;

internal static class StoreSkip
{
    public static string? ReasonFor(ITestMethod method) =>
        (method.TestClass.Class as IReflectionTypeInfo)?.Type is { } type && typeof(INeedsPostgres).IsAssignableFrom(type)
            ? PostgresTestServer.SkipReason
            : null;
}

public sealed class StoreFactDiscoverer(IMessageSink sink) : FactDiscoverer(sink)
{
    private readonly IMessageSink _sink = sink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        StoreSkip.ReasonFor(testMethod) is { } reason
            ? [new XunitSkippedDataRowTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class StoreTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        StoreSkip.ReasonFor(testMethod) is { } reason
            ? CreateTestCasesForSkip(discoveryOptions, testMethod, theoryAttribute, reason)
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
