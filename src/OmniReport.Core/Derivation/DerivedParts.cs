namespace OmniReport.Core.Derivation;

/// <summary>
/// What a one-shot derivation (<see cref="AccountDerivation"/>) is asked to keep: <c>omnireport derive</c> writes one
/// report, so it need not make, sort and hold the other's records (nor, for engagements, the agents' names).
/// </summary>
[Flags]
public enum DerivedParts
{
    /// <summary>The logged engagements.</summary>
    Engagements = 1,

    /// <summary>The interaction records and the agents' names they are written with.</summary>
    Interactions = 2,

    /// <summary>Both.</summary>
    All = Engagements | Interactions,
}
