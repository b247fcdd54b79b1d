namespace Rhei.Configuration;

/// <summary>
/// One row of the settings table: everything Rhei knows about a setting. Parsing, validation,
/// <c>rhei config docs</c>, <c>rhei config show</c> and ksqlDB's <c>SHOW PROPERTIES</c> all read it.
/// </summary>
public sealed record ConfigKey
{
    /// <summary>The dotted lower-case name, e.g. <c>log.dirs</c>.</summary>
    public required string Name { get; init; }

    public required ConfigType Type { get; init; }

    /// <summary>The default written as a user would write it, or <c>null</c> for "not set".</summary>
    public required string? DefaultText { get; init; }

    /// <summary>The default parsed (<see cref="ValueParser"/>), or <c>null</c> when <see cref="DefaultText"/> is null.</summary>
    public object? DefaultValue { get; init; }

    public required ConfigImportance Importance { get; init; }

    /// <summary>What the setting does, in a few sentences of Markdown.</summary>
    public required string Documentation { get; init; }

    /// <summary>The layer that reads the setting.</summary>
    public required RheiLayer UsedBy { get; init; }

    /// <summary>An extra check after parsing; <c>null</c> when any value of the type is accepted.</summary>
    public ConfigValidator? Validator { get; init; }

    /// <summary>Other names that set this setting (e.g. <c>broker.id</c> for <c>node.id</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>True when ksqlDB lets a query override it with <c>SET</c> ("Per query: yes" in ksqlDB's docs).</summary>
    public bool PerQuery { get; init; }

    /// <summary>What is accepted, for errors and docs: the type's description, narrowed by the validator's.</summary>
    public string Accepted => Validator is null ? ValueParser.Describe(Type)
        : Type is ConfigType.Int or ConfigType.Long or ConfigType.Double ? $"{ValueParser.Describe(Type)}, {Validator.Accepted}"
        : Validator.Accepted;
}
