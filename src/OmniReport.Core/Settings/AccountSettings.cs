namespace OmniReport.Core.Settings;

/// <summary>The account settings of SPEC §2. Immutable; a change makes a new instance.</summary>
public sealed record AccountSettings
{
    /// <summary>The defaults of SPEC §2.</summary>
    public static AccountSettings Default { get; } = new();

    /// <summary>The activity window of §3.1, in minutes (1 or more).</summary>
    public int InactivityTimeoutMinutes { get; init; } = 10;

    /// <summary>When true, inactivity never ends an engagement.</summary>
    public bool MessagingActivityRouting { get; init; }

    /// <summary>When true, inactivity never ends an engagement.</summary>
    public bool InactiveConversationsCountTowardCapacity { get; init; }

    /// <summary>An engagement longer than this many days is never logged (§3.4).</summary>
    public int OpenEngagementMaxDays { get; init; } = 14;

    /// <summary>Business hours; null means always open.</summary>
    public BusinessHours? BusinessHours { get; init; }

    /// <summary>The activity window in milliseconds.</summary>
    public long InactivityWindowMs => InactivityTimeoutMinutes * 60_000L;

    /// <summary>True when inactivity ends engagements (neither switch of §2 is on).</summary>
    public bool InactivityEndsEngagements => !MessagingActivityRouting && !InactiveConversationsCountTowardCapacity;

    /// <summary>The longest engagement that is still logged, in milliseconds.</summary>
    public long MaxLoggedDurationMs => OpenEngagementMaxDays * 86_400_000L;
}
