namespace Rhei.Connect.Config;

/// <summary>Common checks, with Kafka Connect's wording.</summary>
public static class ConfigValidators
{
    /// <summary>The value is one of <paramref name="values"/> (case-insensitive): <c>String must be one of: a, b</c>.</summary>
    public static ConfigValidator OneOf(params string[] values) => value =>
        value is null || values.Any(v => string.Equals(v, value as string, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"String must be one of: {string.Join(", ", values)}";

    /// <summary>A number at least <paramref name="min"/>: <c>Value must be at least 1</c>.</summary>
    public static ConfigValidator AtLeast(long min) => value => value switch
    {
        null => null,
        int i when i < min => $"Value must be at least {min}",
        long l when l < min => $"Value must be at least {min}",
        double d when d < min => $"Value must be at least {min}",
        _ => null,
    };

    /// <summary>A number between <paramref name="min"/> and <paramref name="max"/> inclusive.</summary>
    public static ConfigValidator Between(long min, long max) => value => value switch
    {
        null => null,
        int i when i < min || i > max => $"Value must be no less than {min} and no more than {max}",
        long l when l < min || l > max => $"Value must be no less than {min} and no more than {max}",
        _ => null,
    };

    /// <summary>A string that is not empty.</summary>
    public static ConfigValidator NonEmptyString() => value =>
        value is string s && s.Trim().Length == 0 ? "String may not be empty" : null;
}
