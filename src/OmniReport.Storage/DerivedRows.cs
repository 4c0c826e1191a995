using System.Data.Common;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;

namespace OmniReport.Storage;

/// <summary>
/// Engagements and interaction records read back from their typed columns (<see cref="DerivedColumns"/>), the one copy
/// the stores keep of them (migration 112): every field is a column, so the encoded bytes kept beside them before were a
/// second copy of the same values. The enumerations come back from the upper-case text the columns hold.
/// </summary>
internal static class DerivedRows
{
    /// <summary>The columns of <see cref="ReadEngagement"/>, in its order: those of <see cref="DerivedColumns.Engagement"/>.</summary>
    public const string EngagementColumns = DerivedColumns.Engagement;

    /// <summary>The columns of <see cref="ReadRecord"/>, in its order: the interaction id, then the record's columns.</summary>
    public const string RecordColumns =
        "interaction_id, start_ms, waiting_time, end_ms, duration, interaction_type, interaction_status, interaction_direction, agent_type, " +
        "agent_id, groups, external_id, name, contact, contact_id, disposition_name, notes, transcription_recording";

    /// <summary>Column names of a list such as <see cref="RecordColumns"/>, each qualified by <paramref name="table"/>.</summary>
    public static string Qualified(string table, string columns) =>
        string.Join(", ", columns.Split(',', StringSplitOptions.TrimEntries).Select(c => table + "." + c));

    /// <summary>The engagement in the current row, its columns from <paramref name="first"/> on in <see cref="EngagementColumns"/> order.</summary>
    public static Engagement ReadEngagement(DbDataReader r, int first = 0) => ReadEngagement(new ReaderRow(r), first);

    /// <inheritdoc cref="ReadEngagement(DbDataReader, int)"/>
    public static Engagement ReadEngagement<TRow>(TRow r, int first)
        where TRow : IRow => new()
    {
        EngagementId = r.Text(first),
        TicketId = r.Text(first + 1),
        AgentId = r.Text(first + 2),
        GroupId = NullableString(r, first + 3),
        RequesterId = NullableString(r, first + 4),
        OfferTimeSeconds = NullableLong(r, first + 5),
        AssignmentToFirstReplyTimeSeconds = NullableLong(r, first + 6),
        AgentMessagesCount = (int)r.Int64(first + 7),
        AgentRepliesCount = (int)r.Int64(first + 8),
        TotalRequesterWaitTimeSeconds = r.Int64(first + 9),
        LongestRequesterWaitTimeSeconds = NullableLong(r, first + 10),
        Channel = ChannelOf(r.Text(first + 11)),
        StartReason = r.Text(first + 12),
        StartMs = r.Int64(first + 13),
        EndMs = r.Int64(first + 14),
        StatusStart = StatusOf(r.Text(first + 15)),
        StatusEnd = StatusOf(r.Text(first + 16)),
        EndReason = r.Text(first + 17),
        AverageRequesterWaitTimeSeconds = NullableLong(r, first + 18),
        EndUserMessagesCount = (int)r.Int64(first + 19),
        EngagementDurationSeconds = r.Int64(first + 20),
    };

    /// <summary>The record in the current row, its columns from <paramref name="first"/> on in <see cref="RecordColumns"/> order.</summary>
    public static InteractionRecord ReadRecord(DbDataReader r, int first = 0) => ReadRecord(new ReaderRow(r), first);

    /// <inheritdoc cref="ReadRecord(DbDataReader, int)"/>
    public static InteractionRecord ReadRecord<TRow>(TRow r, int first)
        where TRow : IRow => new()
    {
        InteractionId = r.Text(first),
        StartMs = r.Int64(first + 1),
        WaitingTime = NullableLong(r, first + 2),
        EndMs = NullableLong(r, first + 3),
        Duration = NullableLong(r, first + 4),
        Channel = ChannelOf(r.Text(first + 5)),
        Status = r.Text(first + 6),
        Direction = r.Text(first + 7) == "OUTBOUND" ? Direction.Outbound : Direction.Inbound,
        AgentType = r.Text(first + 8),
        AgentId = r.Text(first + 9),
        Groups = r.Text(first + 10),
        ExternalId = r.Text(first + 11),
        Name = r.Text(first + 12),
        Contact = r.Text(first + 13),
        ContactId = r.Text(first + 14),
        DispositionName = r.Text(first + 15),
        Notes = r.Text(first + 16),
        TranscriptionRecording = r.Text(first + 17),
    };

    private static string? NullableString<TRow>(TRow r, int i)
        where TRow : IRow => r.IsNull(i) ? null : r.Text(i);

    private static long? NullableLong<TRow>(TRow r, int i)
        where TRow : IRow => r.IsNull(i) ? null : r.Int64(i);

    private static Channel ChannelOf(string upper) => upper switch
    {
        "MESSAGING" => Channel.Messaging,
        "CHAT" => Channel.Chat,
        "EMAIL" => Channel.Email,
        "VOICE" => Channel.Voice,
        "SMS" => Channel.Sms,
        "WHATSAPP" => Channel.WhatsApp,
        "SOCIAL" => Channel.Social,
        _ => throw new InvalidDataException($"a stored channel reads \"{upper}\", which is no channel"),
    };

    private static TicketStatus StatusOf(string upper) => upper switch
    {
        "NEW" => TicketStatus.New,
        "OPEN" => TicketStatus.Open,
        "PENDING" => TicketStatus.Pending,
        "ON_HOLD" => TicketStatus.OnHold,
        "SOLVED" => TicketStatus.Solved,
        "CLOSED" => TicketStatus.Closed,
        "DELETED" => TicketStatus.Deleted,
        _ => throw new InvalidDataException($"a stored ticket status reads \"{upper}\", which is no status"),
    };

    /// <summary>A row's columns by position: an ADO.NET reader's, or SQLite's prepared <see cref="Sqlite.Statement"/>'s.</summary>
    internal interface IRow
    {
        bool IsNull(int column);

        long Int64(int column);

        string Text(int column);
    }

    private readonly struct ReaderRow(DbDataReader r) : IRow
    {
        public bool IsNull(int column) => r.IsDBNull(column);

        public long Int64(int column) => r.GetInt64(column);

        public string Text(int column) => r.GetString(column);
    }
}
