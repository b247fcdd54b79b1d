namespace Rhei.Configuration;

/// <summary>The type of a setting's value; decides how its text is parsed.</summary>
public enum ConfigType
{
    /// <summary><c>true</c> or <c>false</c>, in any case.</summary>
    Boolean,

    /// <summary>A 32-bit signed decimal integer.</summary>
    Int,

    /// <summary>A 64-bit signed decimal integer.</summary>
    Long,

    /// <summary>A floating-point number written with a <c>.</c> decimal point.</summary>
    Double,

    /// <summary>Text, trimmed of surrounding white space.</summary>
    String,

    /// <summary>Comma-separated text items, each trimmed; an empty value is an empty list.</summary>
    List,

    /// <summary>Comma-separated listeners, <c>NAME://host:port</c> each (see <see cref="ListenerEndpoint"/>).</summary>
    Listeners,
}
