namespace OmniReport.Api.Tests;

/// <summary>Small valid event streams.</summary>
public static class Sample
{
    /// <summary>An e-mail interaction handled by one agent and solved: one engagement.</summary>
    public static string[] OneEngagement(string interaction, string agent = "9001", string prefix = "") =>
    [
        $"{{\"id\":\"{prefix}{interaction}-c\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T10:00:00Z\",\"interaction_id\":\"{interaction}\",\"channel\":\"email\"}}",
        $"{{\"id\":\"{prefix}{interaction}-a\",\"type\":\"offer.accepted\",\"occurred_at\":\"2026-03-02T10:01:00Z\",\"interaction_id\":\"{interaction}\",\"agent_id\":\"{agent}\"}}",
        $"{{\"id\":\"{prefix}{interaction}-s\",\"type\":\"status.changed\",\"occurred_at\":\"2026-03-02T10:05:00Z\",\"interaction_id\":\"{interaction}\",\"status\":\"solved\"}}",
    ];

    public static string Array(IEnumerable<string> events) => "[" + string.Join(",", events) + "]";
}
