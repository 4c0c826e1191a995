using OmniReport.Core.Derivation;
using OmniReport.Core.Events;

namespace OmniReport.Storage.Codec;

/// <summary>Engagements and interaction records as blobs; the columns the queries filter on are kept beside them.</summary>
internal static class RecordCodec
{
    public static void Write(BlobWriter w, Engagement e)
    {
        w.String(e.EngagementId);
        w.String(e.TicketId);
        w.String(e.AgentId);
        w.NullableString(e.GroupId);
        w.NullableString(e.RequesterId);
        w.NullableLong(e.OfferTimeSeconds);
        w.NullableLong(e.AssignmentToFirstReplyTimeSeconds);
        w.Long(e.AgentMessagesCount);
        w.Long(e.AgentRepliesCount);
        w.Long(e.TotalRequesterWaitTimeSeconds);
        w.NullableLong(e.LongestRequesterWaitTimeSeconds);
        w.Byte((byte)e.Channel);
        w.String(e.StartReason);
        w.Long(e.StartMs);
        w.Long(e.EndMs);
        w.Byte((byte)e.StatusStart);
        w.Byte((byte)e.StatusEnd);
        w.String(e.EndReason);
        w.NullableLong(e.AverageRequesterWaitTimeSeconds);
        w.Long(e.EndUserMessagesCount);
        w.Long(e.EngagementDurationSeconds);
    }

    public static Engagement ReadEngagement(ReadOnlySpan<byte> blob)
    {
        var r = new BlobReader(blob);
        return new Engagement
        {
            EngagementId = r.String(),
            TicketId = r.String(),
            AgentId = r.String(),
            GroupId = r.NullableString(),
            RequesterId = r.NullableString(),
            OfferTimeSeconds = r.NullableLong(),
            AssignmentToFirstReplyTimeSeconds = r.NullableLong(),
            AgentMessagesCount = (int)r.Long(),
            AgentRepliesCount = (int)r.Long(),
            TotalRequesterWaitTimeSeconds = r.Long(),
            LongestRequesterWaitTimeSeconds = r.NullableLong(),
            Channel = (Channel)r.Byte(),
            StartReason = r.String(),
            StartMs = r.Long(),
            EndMs = r.Long(),
            StatusStart = (TicketStatus)r.Byte(),
            StatusEnd = (TicketStatus)r.Byte(),
            EndReason = r.String(),
            AverageRequesterWaitTimeSeconds = r.NullableLong(),
            EndUserMessagesCount = (int)r.Long(),
            EngagementDurationSeconds = r.Long(),
        };
    }

    public static void Write(BlobWriter w, InteractionRecord x)
    {
        w.String(x.InteractionId);
        w.NullableLong(x.WaitingTime);
        w.Long(x.StartMs);
        w.NullableLong(x.EndMs);
        w.NullableLong(x.Duration);
        w.Byte((byte)x.Channel);
        w.String(x.Status);
        w.Byte((byte)x.Direction);
        w.String(x.AgentType);
        w.String(x.AgentId);
        w.String(x.Groups);
        w.String(x.ExternalId);
        w.String(x.Name);
        w.String(x.Contact);
        w.String(x.ContactId);
        w.String(x.DispositionName);
        w.String(x.Notes);
        w.String(x.TranscriptionRecording);
    }

    public static InteractionRecord ReadRecord(ReadOnlySpan<byte> blob)
    {
        var r = new BlobReader(blob);
        return new InteractionRecord
        {
            InteractionId = r.String(),
            WaitingTime = r.NullableLong(),
            StartMs = r.Long(),
            EndMs = r.NullableLong(),
            Duration = r.NullableLong(),
            Channel = (Channel)r.Byte(),
            Status = r.String(),
            Direction = (Direction)r.Byte(),
            AgentType = r.String(),
            AgentId = r.String(),
            Groups = r.String(),
            ExternalId = r.String(),
            Name = r.String(),
            Contact = r.String(),
            ContactId = r.String(),
            DispositionName = r.String(),
            Notes = r.String(),
            TranscriptionRecording = r.String(),
        };
    }

    /// <summary>The engagements an interaction last logged: id and content fingerprint of each.</summary>
    public static byte[] WriteDigest(IReadOnlyList<(string Id, ulong Fingerprint)> items)
    {
        var w = new BlobWriter(items.Count * 42 + 2);
        w.UInt((ulong)items.Count);
        foreach (var (id, fp) in items)
        {
            w.String(id);
            w.Fixed64(fp);
        }

        return w.ToArray();
    }

    /// <summary>The engagement ids a digest lists (those of the interaction's logged engagements).</summary>
    public static string[] DigestIds(ReadOnlySpan<byte> blob) => [.. ReadDigest(blob).Keys];

    public static Dictionary<string, ulong> ReadDigest(ReadOnlySpan<byte> blob)
    {
        var map = new Dictionary<string, ulong>(StringComparer.Ordinal);
        if (blob.IsEmpty)
        {
            return map;
        }

        var r = new BlobReader(blob);
        var n = (int)r.UInt();
        for (var i = 0; i < n; i++)
        {
            var id = r.String();
            map[id] = r.Fixed64();
        }

        return map;
    }
}
