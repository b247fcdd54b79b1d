using Rhei.Formats.Serde;

namespace Rhei.Formats.Delimited;

/// <summary>The DELIMITED delimiter as set by KEY_DELIMITER / VALUE_DELIMITER: one character, or <c>TAB</c> / <c>SPACE</c>.</summary>
public static class Delimiter
{
    public const char Default = ',';

    /// <summary>
    /// Parses a delimiter setting, with ksqlDB's errors, e.g.
    /// <c>Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '&lt;~&gt;'. Delimiter must be a single character or TAB,SPACE</c>.
    /// </summary>
    /// <param name="propertyName">The property as the user wrote it (VALUE_DELIMITER), for the message.</param>
    /// <exception cref="FormatValidationException">The value is empty, blank, or longer than one character.</exception>
    public static char Parse(string propertyName, string value)
    {
        if (value.Trim().Length == 0)
        {
            throw Invalid(propertyName,
                "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'");
        }

        if (value.Equals("TAB", StringComparison.OrdinalIgnoreCase))
        {
            return '\t';
        }

        if (value.Equals("SPACE", StringComparison.OrdinalIgnoreCase))
        {
            return ' ';
        }

        if (value.Length != 1)
        {
            throw Invalid(propertyName, $"Invalid delimiter value: '{value}'. Delimiter must be a single character or TAB,SPACE");
        }

        return value[0];
    }

    /// <summary>The delimiter of a serde's options (<see cref="FormatPropertyNames.Delimiter"/>), comma when unset.</summary>
    public static char From(SerdeOptions options)
    {
        var value = options.GetProperty(FormatPropertyNames.Delimiter);
        return value is null ? Default : value.Length == 1 ? value[0] : Parse(FormatPropertyNames.Delimiter, value);
    }

    private static FormatValidationException Invalid(string propertyName, string reason) =>
        new($"Configuration {propertyName} is invalid: {reason}\nExample valid value: ';'", reason);
}
