namespace OmniReport.Core.Derivation;

/// <summary>
/// A stable 64-bit fingerprint of a derived record's content (FNV-1a over its fields in order), so a store can keep
/// what it last derived as a few bytes and the projector can tell what a recompute changed. Stable across processes
/// and versions of .NET (unlike <see cref="HashCode"/>); a change of the fields it covers is a new projection format.
/// </summary>
public static class DerivedFingerprint
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The fingerprint of every field of an engagement.</summary>
    public static ulong Of(Engagement e)
    {
        var h = Offset;
        Add(ref h, e.EngagementId);
        Add(ref h, e.TicketId);
        Add(ref h, e.AgentId);
        Add(ref h, e.GroupId);
        Add(ref h, e.RequesterId);
        Add(ref h, e.OfferTimeSeconds);
        Add(ref h, e.AssignmentToFirstReplyTimeSeconds);
        Add(ref h, e.AgentMessagesCount);
        Add(ref h, e.AgentRepliesCount);
        Add(ref h, e.TotalRequesterWaitTimeSeconds);
        Add(ref h, e.LongestRequesterWaitTimeSeconds);
        Add(ref h, (long)e.Channel);
        Add(ref h, e.StartReason);
        Add(ref h, e.StartMs);
        Add(ref h, e.EndMs);
        Add(ref h, (long)e.StatusStart);
        Add(ref h, (long)e.StatusEnd);
        Add(ref h, e.EndReason);
        Add(ref h, e.AverageRequesterWaitTimeSeconds);
        Add(ref h, e.EndUserMessagesCount);
        Add(ref h, e.EngagementDurationSeconds);
        return h;
    }

    /// <summary>The fingerprint of every field of an interaction record.</summary>
    public static ulong Of(InteractionRecord x)
    {
        var h = Offset;
        Add(ref h, x.InteractionId);
        Add(ref h, x.WaitingTime);
        Add(ref h, x.StartMs);
        Add(ref h, x.EndMs);
        Add(ref h, x.Duration);
        Add(ref h, (long)x.Channel);
        Add(ref h, x.Status);
        Add(ref h, (long)x.Direction);
        Add(ref h, x.AgentType);
        Add(ref h, x.AgentId);
        Add(ref h, x.Groups);
        Add(ref h, x.ExternalId);
        Add(ref h, x.Name);
        Add(ref h, x.Contact);
        Add(ref h, x.ContactId);
        Add(ref h, x.DispositionName);
        Add(ref h, x.Notes);
        Add(ref h, x.TranscriptionRecording);
        return h;
    }

    private static void Add(ref ulong h, long? v)
    {
        if (v is not { } value)
        {
            h = (h ^ 0xFF) * Prime;
            return;
        }

        h = (h ^ 0x01) * Prime;
        for (var i = 0; i < 8; i++)
        {
            h = (h ^ (byte)(value >> (8 * i))) * Prime;
        }
    }

    private static void Add(ref ulong h, string? s)
    {
        if (s is null)
        {
            h = (h ^ 0xFF) * Prime;
            return;
        }

        Add(ref h, (long)s.Length); // a length prefix, so ("ab", "c") and ("a", "bc") differ
        foreach (var c in s)
        {
            h = (h ^ (byte)c) * Prime;
            h = (h ^ (byte)(c >> 8)) * Prime;
        }
    }
}
