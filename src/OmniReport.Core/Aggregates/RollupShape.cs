namespace OmniReport.Core.Aggregates;

/// <summary>The UTC cell sizes rollups are kept in (SPEC §7; issue #11).</summary>
public enum RollupTier
{
    /// <summary>15 minutes: every zone in use today has an offset that is a multiple of it.</summary>
    Quarter = 0,

    /// <summary>An hour.</summary>
    Hour = 1,

    /// <summary>A UTC day.</summary>
    Day = 2,
}

/// <summary>
/// What the rollups of one aggregates kind keep: the dimension sets (declared here, the one place), and per cell the
/// record count, a histogram per numeric field (plus, for interactions, the waiting time of <c>USER</c> records, which
/// the service level of any <c>service_level_seconds</c> reads) and the counters of the ratios that histograms do not
/// give (interactions: abandoned, and the statuses <c>abandon_percent</c> divides by).
/// </summary>
public sealed class RollupShape
{
    private RollupShape(AggregateKind kind, int id, int[][] dimensionSets, RollupTier[] finestTier, int totalDimensionSet, int histograms, int counters)
    {
        Kind = kind;
        Id = id;
        DimensionSets = dimensionSets;
        FinestTier = finestTier;
        TotalDimensionSet = totalDimensionSet;
        Histograms = histograms;
        Counters = counters;
        AgentType = kind.DimensionIndex("agent_type");
        Status = kind.DimensionIndex("interaction_status");
    }

    /// <summary>
    /// Engagements: one rollup per single group-by field. A query whose group_by and filter fields are all one field is
    /// answered from that field's rollup; any other from the records (a set such as channel × agent_id would go here,
    /// at the ingest cost of one more cell per tier and record). The sets of ids (agent_id, group_id) keep no quarter
    /// hours: a quarter hour of one agent holds about one record, so those cells would cost the ingest a row per
    /// record and save the reads nothing; their sub-hour buckets (PT15M, PT30M, zones such as Asia/Kolkata) are
    /// answered from the records.
    /// </summary>
    public static RollupShape Engagements { get; } = new(
        AggregateKind.Engagements, 0, [[0], [1], [2], [3], [4], [5], [6]],
        [RollupTier.Hour, RollupTier.Hour, RollupTier.Quarter, RollupTier.Quarter, RollupTier.Quarter, RollupTier.Quarter, RollupTier.Quarter], 2, 9, 0);

    /// <summary>Interaction records: one rollup per single group-by field (agent_id and groups without quarter hours).</summary>
    public static RollupShape Interactions { get; } = new(
        AggregateKind.Interactions, 1, [[0], [1], [2], [3], [4], [5]],
        [RollupTier.Quarter, RollupTier.Quarter, RollupTier.Quarter, RollupTier.Quarter, RollupTier.Hour, RollupTier.Hour], 0, 3, 2);

    /// <summary>The shape of a kind.</summary>
    public static RollupShape For(AggregateKind kind) => kind == AggregateKind.Engagements ? Engagements : Interactions;

    /// <summary>The kind.</summary>
    public AggregateKind Kind { get; }

    /// <summary>The kind's number in storage.</summary>
    public int Id { get; }

    /// <summary>The dimension sets kept, as positions in <see cref="AggregateKind.Dimensions"/>; a set's number is its position here.</summary>
    public IReadOnlyList<int[]> DimensionSets { get; }

    /// <summary>Per dimension set, the finest tier it keeps (cells of that tier and coarser).</summary>
    public IReadOnlyList<RollupTier> FinestTier { get; }

    /// <summary>
    /// A set whose field every record has (channel, interaction type): a query with no group_by and no filter adds up
    /// its groups, so no separate "all records" rollup is written.
    /// </summary>
    public int TotalDimensionSet { get; }

    /// <summary>Histograms per cell: the numeric fields in kind order, then (interactions) waiting time of USER records.</summary>
    public int Histograms { get; }

    /// <summary>Counters per cell (interactions: MISSED or ABANDONED; FINISHED, MISSED, ABANDONED or VOICEMAIL).</summary>
    public int Counters { get; }

    /// <summary>The position of <c>agent_type</c> (interactions: the USER waiting-time histogram reads it), or −1.</summary>
    public int AgentType { get; }

    /// <summary>The position of <c>interaction_status</c> (interactions: the counters read it), or −1.</summary>
    public int Status { get; }

    /// <summary>The dimension set that is exactly <paramref name="fields"/> (positions), or −1.</summary>
    public int SetOf(IReadOnlyCollection<int> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0)
        {
            return TotalDimensionSet;
        }

        for (var s = 0; s < DimensionSets.Count; s++)
        {
            var set = DimensionSets[s];
            if (set.Length == fields.Count && fields.All(set.Contains))
            {
                return s;
            }
        }

        return -1;
    }

    /// <summary>The length of a tier's cells in ms.</summary>
    public static long Length(RollupTier tier) => tier switch
    {
        RollupTier.Quarter => 900_000,
        RollupTier.Hour => 3_600_000,
        _ => 86_400_000,
    };

    /// <summary>The start of the cell of <paramref name="tier"/> that holds <paramref name="ms"/>.</summary>
    public static long CellStart(RollupTier tier, long ms) => Derivation.Time.FloorDiv(ms, Length(tier)) * Length(tier);
}
