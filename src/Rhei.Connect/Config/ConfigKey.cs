namespace Rhei.Connect.Config;

/// <summary>
/// Checks a parsed value; returns null when it is valid, or the reason (the text after
/// <c>Invalid value X for configuration NAME: </c>).
/// </summary>
public delegate string? ConfigValidator(object? value);

/// <summary>
/// One property a connector understands: its name (Kafka Connect's), type, default (null with
/// <see cref="Required"/> means there is none), importance, documentation and check.
/// </summary>
public sealed record ConfigKey(string Name, ConfigType Type, object? Default, ConfigImportance Importance, string Documentation)
{
    /// <summary>True when the property must be given (it has no default).</summary>
    public bool Required { get; init; }

    /// <summary>Checks the value after parsing.</summary>
    public ConfigValidator? Validator { get; init; }

    /// <summary>Other names accepted for the same property (<c>table.whitelist</c> for <c>table.include.list</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The allowed values, when the property is an enumeration (shown in errors and plugin descriptions).</summary>
    public IReadOnlyList<string>? ValidValues { get; init; }
}
