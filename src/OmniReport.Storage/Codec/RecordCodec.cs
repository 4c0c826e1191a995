using OmniReport.Core.Aggregates;
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

    public static void Write(BlobWriter w, OpenEngagement e)
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
        w.Byte((byte)e.StatusStart);
        w.NullableLong(e.AverageRequesterWaitTimeSeconds);
        w.Long(e.EndUserMessagesCount);
    }

    public static OpenEngagement ReadOpen(ReadOnlySpan<byte> blob)
    {
        var r = new BlobReader(blob);
        return new OpenEngagement
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
            StatusStart = (TicketStatus)r.Byte(),
            AverageRequesterWaitTimeSeconds = r.NullableLong(),
            EndUserMessagesCount = (int)r.Long(),
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

    /// <summary>
    /// What an interaction last derived (<see cref="ProjectionDigest"/>): the count and each logged engagement's id and
    /// fingerprint, then, from projection format 2 on, a flag and the record's fingerprint. A digest of format 1 ends
    /// after the engagements (and its fingerprints were of the encoded bytes): it reads with no record.
    /// </summary>
    public static byte[] WriteDigest(ProjectionDigest digest)
    {
        var w = new BlobWriter(digest.Engagements.Count * 42 + 12);
        w.UInt((ulong)digest.Engagements.Count);
        foreach (var (id, fp) in digest.Engagements)
        {
            w.String(id);
            w.Fixed64(fp);
        }

        w.Byte(digest.Record is null ? (byte)0 : (byte)1);
        w.Fixed64(digest.Record ?? 0);
        return w.ToArray();
    }

    /// <summary>
    /// The digest followed (projection format 4) by the aggregate fact of each logged engagement, in digest order, and
    /// of the record: what the rollups hold of this interaction, to be taken away from them when it changes.
    /// </summary>
    public static byte[] WriteDigest(Projection p)
    {
        var digest = p.Digest;
        var w = new BlobWriter((digest.Engagements.Count * 90) + 60);
        w.Raw(WriteDigest(digest));
        w.Byte(1);
        foreach (var e in p.Engagements)
        {
            RollupCodec.WriteFact(w, AggregateKind.Engagements, AggregateKind.Of(e));
        }

        if (p.Record is { } r)
        {
            RollupCodec.WriteFact(w, AggregateKind.Interactions, AggregateKind.Of(r));
        }

        return w.ToArray();
    }

    /// <summary>The facts <see cref="WriteDigest(Projection)"/> kept: engagement id → fact, and the record's; null for an older digest.</summary>
    public static (Dictionary<string, Fact> Engagements, Fact? Record)? ReadDigestFacts(ReadOnlySpan<byte> blob)
    {
        if (blob.IsEmpty)
        {
            return (new Dictionary<string, Fact>(), null);
        }

        var r = new BlobReader(blob);
        var n = (int)r.UInt();
        var ids = new string[n];
        for (var i = 0; i < n; i++)
        {
            ids[i] = r.String();
            r.Fixed64();
        }

        var hasRecord = r.Byte() == 1;
        r.Fixed64();
        if (r.End || r.Byte() != 1)
        {
            return null;
        }

        var facts = new Dictionary<string, Fact>(n, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            facts[id] = RollupCodec.ReadFact(ref r, AggregateKind.Engagements);
        }

        return (facts, hasRecord ? RollupCodec.ReadFact(ref r, AggregateKind.Interactions) : null);
    }

    /// <summary>The engagement ids a digest lists (those of the interaction's logged engagements).</summary>
    public static string[] DigestIds(ReadOnlySpan<byte> blob) => [.. ReadDigest(blob).Engagements.Select(e => e.Id)];

    public static ProjectionDigest ReadDigest(ReadOnlySpan<byte> blob)
    {
        if (blob.IsEmpty)
        {
            return ProjectionDigest.Empty;
        }

        var r = new BlobReader(blob);
        var n = (int)r.UInt();
        var items = new (string Id, ulong Fingerprint)[n];
        for (var i = 0; i < n; i++)
        {
            items[i] = (r.String(), r.Fixed64());
        }

        ulong? record = null;
        if (!r.End && r.Byte() == 1)
        {
            record = r.Fixed64();
        }

        return new ProjectionDigest(record, items);
    }
}
