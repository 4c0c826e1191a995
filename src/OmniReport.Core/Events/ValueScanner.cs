namespace OmniReport.Core.Events;

/// <summary>
/// Finds where one element of a JSON array of events ends by its brackets and quotes alone, without checking
/// what is inside: an element that is not valid JSON is still cut out whole and rejected on its own by
/// <see cref="EventParser"/>, and the elements after it are read. Resumable: when the data ends inside the
/// value, call again with more data.
/// </summary>
internal struct ValueScanner
{
    private int _depth;
    private bool _inString;
    private bool _escape;

    /// <summary>
    /// Scans <paramref name="data"/> from <paramref name="i"/>: the index just past the value, or -1 when the data ends
    /// first (then <paramref name="i"/> is its length).
    /// </summary>
    public int Scan(ReadOnlySpan<byte> data, ref int i)
    {
        for (; i < data.Length; i++)
        {
            var c = data[i];
            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                }
                else if (c == (byte)'\\')
                {
                    _escape = true;
                }
                else if (c == (byte)'"')
                {
                    _inString = false;
                    if (_depth == 0)
                    {
                        return i + 1;
                    }
                }

                continue;
            }

            switch (c)
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (_depth == 0)
                    {
                        return i; // end of the enclosing array: a scalar ended here
                    }

                    if (--_depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case (byte)',' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' when _depth == 0:
                    return i;
            }
        }

        return -1;
    }
}
