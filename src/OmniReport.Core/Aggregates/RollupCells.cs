namespace OmniReport.Core.Aggregates;

/// <summary>
/// The rollup cells one query read, decoded into flat arrays: per cell its count, its counters and the count and sum of
/// each histogram the query uses, and the values of the histograms it asks values of, ascending with their times, as
/// runs in shared blocks. A year by agent at 2,000,000 events reads about 28,000 cells; an object per cell and a
/// dictionary per histogram made most of that answer's time garbage collection (issue #11), and so did one array
/// doubled as it grew (large-object copies, each a full collection), so a cell here is a row of numbers in a block
/// of fixed size and a histogram's values a slice of a block, which <see cref="Statistic"/> merges as a sorted run.
/// </summary>
public sealed class RollupCells
{
    // Blocks stay under the large-object threshold (85,000 bytes): allocating them costs no full collection. They are
    // kept for the next query (up to PoolBlocks, 16 MB): a query of that size then allocates almost nothing.
    private const int BlockLongs = 8192;
    private const int PoolBlocks = 256;
    private static readonly System.Collections.Concurrent.ConcurrentQueue<long[]> Pool = new();

    // Per kept histogram: count, sum, its values' block (−1: not read), offset << 32 | length.
    private const int PerHistogram = 4;
    private readonly int[] _slot; // histogram → its place among the kept ones, −1: not kept
    private readonly bool[] _values;
    private readonly int _counters;
    private readonly int _stride;
    private readonly int _cellsPerBlock;
    private readonly List<long[]> _rows = [];
    private readonly List<(long[] Values, long[] Times)> _runs = [];
    private int _runFill = BlockLongs;

    /// <summary>
    /// An empty list of cells of <paramref name="shape"/> keeping the count and sum of the histograms in
    /// <paramref name="totals"/> and also the values of those in <paramref name="values"/>.
    /// </summary>
    public RollupCells(RollupShape shape, bool[] totals, bool[] values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(values);
        _counters = shape.Counters;
        _values = values;
        _slot = new int[shape.Histograms];
        var kept = 0;
        for (var h = 0; h < _slot.Length; h++)
        {
            _slot[h] = totals[h] || values[h] ? kept++ : -1;
        }

        _stride = 1 + _counters + (PerHistogram * kept);
        _cellsPerBlock = BlockLongs / _stride;
    }

    /// <summary>How many counters a cell has.</summary>
    public int Counters => _counters;

    /// <summary>How many histograms a cell has.</summary>
    public int Histograms => _slot.Length;

    /// <summary>How many cells.</summary>
    public int Count { get; private set; }

    /// <summary>True when the count and sum of histogram <paramref name="histogram"/> are kept.</summary>
    public bool Keeps(int histogram) => _slot[histogram] >= 0;

    /// <summary>True when the values of histogram <paramref name="histogram"/> are kept.</summary>
    public bool KeepsValues(int histogram) => _values[histogram];

    /// <summary>Starts a cell of <paramref name="count"/> records with empty histograms; returns its index.</summary>
    public int Begin(long count)
    {
        if (Count % _cellsPerBlock == 0)
        {
            _rows.Add(Rent());
        }

        var (block, row) = Row(Count);
        Array.Clear(block, row, _stride);
        block[row] = count;
        for (var h = row + 1 + _counters; h < row + _stride; h += PerHistogram)
        {
            block[h + 2] = -1;
        }

        return Count++;
    }

    /// <summary>Sets counter <paramref name="i"/> of a cell.</summary>
    public void SetCounter(int cell, int i, long value)
    {
        var (block, row) = Row(cell);
        block[row + 1 + i] = value;
    }

    /// <summary>Sets the count and sum of a kept histogram of a cell.</summary>
    public void SetTotals(int cell, int histogram, long count, long sum)
    {
        var (block, h) = HistogramRow(cell, histogram);
        (block[h], block[h + 1]) = (count, sum);
    }

    /// <summary>Room for the <paramref name="n"/> values (ascending) and times of a cell's histogram: fill [offset, offset + n).</summary>
    public (long[] Values, long[] Times, int Offset) ValuesOf(int cell, int histogram, int n)
    {
        if (n > BlockLongs - _runFill)
        {
            _runs.Add(n > BlockLongs ? (new long[n], new long[n]) : (Rent(), Rent()));
            _runFill = 0;
        }

        var (block, h) = HistogramRow(cell, histogram);
        block[h + 2] = _runs.Count - 1;
        block[h + 3] = ((long)_runFill << 32) | (uint)n;
        var offset = _runFill;
        _runFill = n > BlockLongs ? BlockLongs : _runFill + n;
        return (_runs[^1].Values, _runs[^1].Times, offset);
    }

    /// <summary>A cell's record count.</summary>
    public long RecordCount(int cell)
    {
        var (block, row) = Row(cell);
        return block[row];
    }

    /// <summary>A cell's counter.</summary>
    public long Counter(int cell, int i)
    {
        var (block, row) = Row(cell);
        return block[row + 1 + i];
    }

    /// <summary>How many values a cell's histogram holds (0 when not kept).</summary>
    public long HistogramCount(int cell, int histogram)
    {
        if (_slot[histogram] < 0)
        {
            return 0;
        }

        var (block, h) = HistogramRow(cell, histogram);
        return block[h];
    }

    /// <summary>The sum of a cell's histogram (0 when not kept).</summary>
    public long HistogramSum(int cell, int histogram)
    {
        if (_slot[histogram] < 0)
        {
            return 0;
        }

        var (block, h) = HistogramRow(cell, histogram);
        return block[h + 1];
    }

    /// <summary>A cell's histogram's values, ascending, and their times, as a slice of two arrays; length 0 when none or not read.</summary>
    public (long[] Values, long[] Times, int Offset, int Length) Run(int cell, int histogram)
    {
        if (_slot[histogram] < 0)
        {
            return ([], [], 0, 0);
        }

        var (block, h) = HistogramRow(cell, histogram);
        if (block[h + 2] < 0)
        {
            return ([], [], 0, 0);
        }

        var (values, times) = _runs[(int)block[h + 2]];
        return (values, times, (int)(block[h + 3] >> 32), (int)(uint)block[h + 3]);
    }

    /// <summary>How many values of a cell's histogram are at most <paramref name="limit"/>.</summary>
    public long CountAtMost(int cell, int histogram, long limit)
    {
        var (values, times, offset, length) = Run(cell, histogram);
        long n = 0;
        for (var i = offset; i < offset + length && values[i] <= limit; i++)
        {
            n += times[i];
        }

        return n;
    }

    /// <summary>
    /// Gives the blocks back to the pool for the next query; the cells are gone. Called when the fold has ended and
    /// every statistic is sealed (<see cref="Statistic.Seal"/>): nothing refers to them any more.
    /// </summary>
    internal void Release()
    {
        foreach (var block in _rows.Concat(_runs.SelectMany(r => new[] { r.Values, r.Times })))
        {
            if (block.Length == BlockLongs && Pool.Count < PoolBlocks)
            {
                Pool.Enqueue(block);
            }
        }

        _rows.Clear();
        _runs.Clear();
        _runFill = BlockLongs;
        Count = 0;
    }

    private static long[] Rent()
    {
        // A reused block is not cleared: Begin clears a cell's row, and a run's values are all written by the reader.
        return Pool.TryDequeue(out var block) ? block : new long[BlockLongs];
    }

    private (long[] Block, int Row) Row(int cell) => (_rows[cell / _cellsPerBlock], cell % _cellsPerBlock * _stride);

    private (long[] Block, int Row) HistogramRow(int cell, int histogram)
    {
        var (block, row) = Row(cell);
        return (block, row + 1 + _counters + (_slot[histogram] * PerHistogram));
    }
}
