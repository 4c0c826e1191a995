namespace OmniReport.Core.Reports;

/// <summary>
/// A field of a request and what is wrong with it: the one shape of a validation problem, for report job bodies,
/// settings and the errors of both wire dialects.
/// </summary>
/// <param name="Name">The field (dotted path: <c>business_hours.weekly[0].end</c>); <c>settings</c> or <c>body</c> for the whole.</param>
/// <param name="Description">What is wrong.</param>
public sealed record FieldProblem(string Name, string Description);
