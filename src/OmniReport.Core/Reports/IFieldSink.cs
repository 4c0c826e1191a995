using NodaTime;

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

    /// <summary>
    /// A time as <see cref="TimeText.Format"/> writes it. A writer that can take the characters as they are overrides
    /// it, so that a report does not make a string per time (two per record: tens of MB over a large derive).
    /// </summary>
    void Time(int field, long unixMs, DateTimeZone zone, char separator) => Text(field, TimeText.Format(unixMs, zone, separator));
}
