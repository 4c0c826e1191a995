namespace OmniReport.Core.Reports;

/// <summary>The JSON values a record field can take, as <see cref="RecordFields"/> writes it.</summary>
public enum FieldKind
{
    /// <summary>Always a string.</summary>
    Text,

    /// <summary>Always a whole number.</summary>
    Number,

    /// <summary>A whole number or null.</summary>
    NumberOrNull,

    /// <summary>An id: a whole number when it is a canonical decimal integer up to 2^53−1 (SPEC §5.3), else a string.</summary>
    Id,

    /// <summary>An id (as <see cref="Id"/>) or null.</summary>
    IdOrNull,
}

/// <summary>
/// One field of a record: its wire name, the values it takes and what it means. The OpenAPI document describes the
/// engagement object from these, so it says what the field writer writes rather than what a look-alike class has.
/// </summary>
/// <param name="Name">The wire name.</param>
/// <param name="Kind">The JSON values it takes.</param>
/// <param name="Description">What it means, when the name does not say.</param>
public sealed record RecordField(string Name, FieldKind Kind, string? Description = null);
