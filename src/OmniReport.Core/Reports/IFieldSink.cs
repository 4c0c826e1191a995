namespace OmniReport.Core.Reports;

/// <summary>Receives one record's fields, in order. JSON and CSV writers implement it.</summary>
public interface IFieldSink
{
    /// <summary>A JSON null (an empty CSV cell).</summary>
    void Null(int field);

    /// <summary>A whole number.</summary>
    void Number(int field, long value);

    /// <summary>A string.</summary>
    void Text(int field, string value);
}
