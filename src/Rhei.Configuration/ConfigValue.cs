namespace Rhei.Configuration;

/// <summary>The effective value of a key: typed, as text, and where it came from.</summary>
public sealed record ConfigValue(ConfigKey Key, object? Value, ConfigSource Source)
{
    /// <summary>The value written back as text (<c>null</c> when not set).</summary>
    public string Text => ValueParser.Format(Value);

    public bool IsDefault => Source.Kind == ConfigSourceKind.Default;
}

/// <summary>A setting accepted through a pass-through prefix: its full name, its text and its source.</summary>
public sealed record PassThroughValue(string Name, string Value, PassThroughPrefix Prefix, ConfigSource Source);
