namespace Rhei.Configuration;

/// <summary>Where a value came from, in increasing order of precedence.</summary>
public enum ConfigSourceKind
{
    /// <summary>The default in the settings table.</summary>
    Default = 0,

    /// <summary>A properties file given with <c>--config</c>.</summary>
    File = 1,

    /// <summary>A <c>RHEI_*</c> environment variable.</summary>
    Environment = 2,

    /// <summary>A <c>--set name=value</c> argument.</summary>
    CommandLine = 3,

    /// <summary>Set by the program that embeds Rhei (<see cref="RheiConfigBuilder.Set"/>).</summary>
    Code = 4,
}
