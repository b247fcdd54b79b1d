namespace Rhei.Configuration;

/// <summary>
/// The origin of one value: its kind (which decides precedence) and a location a person can find,
/// such as <c>server.properties:12</c>, <c>environment variable RHEI_LOG_DIRS</c> or <c>--set log.dirs=/var/rhei</c>.
/// </summary>
public sealed record ConfigSource(ConfigSourceKind Kind, string Location)
{
    public static ConfigSource Default { get; } = new(ConfigSourceKind.Default, "default");

    public static ConfigSource FileLine(string path, int line) => new(ConfigSourceKind.File, $"{path}:{line}");

    public static ConfigSource File(string path) => new(ConfigSourceKind.File, path);

    public static ConfigSource EnvironmentVariable(string variable) =>
        new(ConfigSourceKind.Environment, $"environment variable {variable}");

    public static ConfigSource SetArgument(string argument) => new(ConfigSourceKind.CommandLine, $"--set {argument}");

    public static ConfigSource Code(string name) => new(ConfigSourceKind.Code, $"code ({name})");

    public override string ToString() => Location;
}
