namespace Rhei.Configuration;

/// <summary>
/// One configuration problem: which setting, which value, from where, and what would be accepted.
/// <see cref="Message"/> is the full sentence shown to the user.
/// </summary>
public sealed record ConfigError(string Name, string? Value, ConfigSource Source, string Message)
{
    public override string ToString() => Message;
}

/// <summary>
/// Thrown by <see cref="RheiConfigBuilder.Build"/> when the configuration is not valid. Lists every problem
/// found, one per line, so that a user can fix them all at once.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<ConfigError> errors) =>
        errors.Count == 1
            ? "Invalid configuration: " + errors[0].Message
            : $"Invalid configuration ({errors.Count} problems):" + string.Concat(errors.Select(e => "\n  - " + e.Message));
}
