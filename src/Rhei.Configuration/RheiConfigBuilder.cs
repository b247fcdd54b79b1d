using System.Text;

namespace Rhei.Configuration;

/// <summary>
/// Collects settings from every source and builds a validated <see cref="RheiConfig"/>.
/// Precedence is by kind of source, whatever the order of the calls: defaults &lt; properties files &lt;
/// <c>RHEI_*</c> environment variables &lt; <c>--set</c> arguments &lt; <see cref="Set"/> from code.
/// Within one kind the later value wins (a key repeated in a file keeps its last value).
/// </summary>
/// <example>
/// <code>
/// var config = new RheiConfigBuilder()
///     .AddPropertiesFile("server.properties")
///     .AddEnvironment(EnvironmentVariables.Current())
///     .AddSetArgument("log.dirs=/var/lib/rhei")
///     .Build();                       // throws ConfigException naming every bad key, value and source
/// var dirs = config.GetList(RheiSettings.LogDirs);
/// </code>
/// </example>
public sealed class RheiConfigBuilder
{
    private readonly ConfigDef _definition;
    private readonly List<RawSetting> _settings = [];
    private readonly List<ConfigError> _errors = [];

    public RheiConfigBuilder()
        : this(RheiSettings.Definition)
    {
    }

    public RheiConfigBuilder(ConfigDef definition)
    {
        _definition = definition;
    }

    /// <summary>Reads a properties file (UTF-8). A missing file or a syntax error is reported by <see cref="Build"/>.</summary>
    public RheiConfigBuilder AddPropertiesFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : "cannot be read: " + e.Message;
            _errors.Add(new ConfigError("", null, ConfigSource.File(path),
                $"The configuration file '{path}' {reason} (given with --config). Pass the path of a properties file."));
            return this;
        }
        return AddProperties(text, path);
    }

    /// <summary>Adds properties text; <paramref name="sourceName"/> names it in errors (as <c>name:line</c>).</summary>
    public RheiConfigBuilder AddProperties(string text, string sourceName)
    {
        var (entries, errors) = PropertiesFile.Parse(text);
        foreach (var error in errors)
        {
            var source = ConfigSource.FileLine(sourceName, error.Line);
            _errors.Add(new ConfigError("", null, source, $"{source}: {error.Message}."));
        }
        foreach (var entry in entries)
        {
            Add(entry.Key, entry.Value, ConfigSource.FileLine(sourceName, entry.Line));
        }
        return this;
    }

    /// <summary>
    /// Adds every <c>RHEI_*</c> variable (see <see cref="EnvironmentVariables"/>); other variables are ignored.
    /// </summary>
    public RheiConfigBuilder AddEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var (variable, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (EnvironmentVariables.TryToName(variable, out var name, out var error))
            {
                Add(name, value, ConfigSource.EnvironmentVariable(variable));
            }
            else if (error is not null)
            {
                var source = ConfigSource.EnvironmentVariable(variable);
                _errors.Add(new ConfigError(variable, value, source, $"The {source} does not name a setting: {error}."));
            }
        }
        return this;
    }

    /// <summary>Adds one <c>--set name=value</c> argument (the text after <c>--set</c>).</summary>
    public RheiConfigBuilder AddSetArgument(string argument)
    {
        var eq = argument.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || argument[..eq].Trim().Length == 0)
        {
            _errors.Add(new ConfigError("", argument, ConfigSource.SetArgument(argument),
                $"'--set {argument}' is not name=value. Write it as --set log.dirs=/var/lib/rhei."));
            return this;
        }
        Add(argument[..eq].Trim(), argument[(eq + 1)..], ConfigSource.SetArgument(argument));
        return this;
    }

    /// <summary>Sets a value from the program embedding Rhei; it wins over every other source.</summary>
    public RheiConfigBuilder Set(string name, string value)
    {
        Add(name, value, ConfigSource.Code(name));
        return this;
    }

    /// <summary>
    /// Resolves precedence, parses and validates every effective value, and runs the table's cross-setting
    /// checks. Throws <see cref="ConfigException"/> listing every problem found.
    /// </summary>
    public RheiConfig Build()
    {
        var errors = new List<ConfigError>(_errors);
        var winners = new Dictionary<string, RawSetting>(StringComparer.Ordinal);
        var passThrough = new Dictionary<string, PassThroughValue>(StringComparer.Ordinal);
        var passThroughWinners = new Dictionary<string, RawSetting>(StringComparer.Ordinal);

        foreach (var raw in _settings)
        {
            var key = _definition.Find(raw.Name);
            if (key is null)
            {
                var prefix = _definition.FindPassThrough(raw.Name);
                if (prefix is null)
                {
                    errors.Add(UnknownSetting(raw));
                }
                else if (!passThroughWinners.TryGetValue(raw.Name, out var current) || raw.Outranks(current))
                {
                    passThroughWinners[raw.Name] = raw;
                    passThrough[raw.Name] = new PassThroughValue(raw.Name, raw.Text, prefix, raw.Source);
                }
                continue;
            }
            if (winners.TryGetValue(key.Name, out var previous))
            {
                if (previous.Source.Kind == raw.Source.Kind && previous.Name != raw.Name && previous.Text.Trim() != raw.Text.Trim())
                {
                    errors.Add(new ConfigError(raw.Name, raw.Text, raw.Source,
                        $"'{previous.Name}' (from {previous.Source}) and '{raw.Name}' (from {raw.Source}) set the same setting " +
                        $"'{key.Name}' to different values ('{previous.Text.Trim()}' and '{raw.Text.Trim()}'). Keep only one of them."));
                }
                if (!raw.Outranks(previous))
                {
                    continue;
                }
            }
            winners[key.Name] = raw;
        }

        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var key in _definition.Keys)
        {
            if (!winners.TryGetValue(key.Name, out var raw))
            {
                values[key.Name] = new ConfigValue(key, key.DefaultValue, ConfigSource.Default);
                continue;
            }
            if (!ValueParser.TryParse(key.Type, raw.Text, out var value, out var problem)
                || (key.Validator is not null && (problem = key.Validator.Check(value!)) is not null))
            {
                errors.Add(InvalidValue(key, raw, problem!));
                values[key.Name] = new ConfigValue(key, key.DefaultValue, ConfigSource.Default);
                continue;
            }
            values[key.Name] = new ConfigValue(key, value, raw.Source);
        }

        var config = new RheiConfig(_definition, values, passThrough);
        if (errors.Count == 0)
        {
            foreach (var check in _definition.Checks)
            {
                errors.AddRange(check(config));
            }
        }
        return errors.Count == 0 ? config : throw new ConfigException(errors);
    }

    private void Add(string name, string text, ConfigSource source) =>
        _settings.Add(new RawSetting(name, text, source, _settings.Count));

    private ConfigError UnknownSetting(RawSetting raw)
    {
        var message = new StringBuilder($"Unknown setting '{raw.Name}' (from {raw.Source}).");
        var suggestions = _definition.SuggestNames(raw.Name);
        if (suggestions.Count > 0)
        {
            message.Append(" Did you mean ").Append(string.Join(" or ", suggestions.Select(s => $"'{s}'"))).Append('?');
        }
        message.Append(" Every setting is listed by 'rhei config docs'");
        if (_definition.PassThroughPrefixes.Count > 0)
        {
            message.Append("; names starting with ")
                .Append(string.Join(", ", _definition.PassThroughPrefixes.Select(p => p.Prefix + "*")))
                .Append(" are passed through");
        }
        message.Append('.');
        return new ConfigError(raw.Name, raw.Text, raw.Source, message.ToString());
    }

    private static ConfigError InvalidValue(ConfigKey key, RawSetting raw, string problem)
    {
        var name = raw.Name == key.Name ? $"'{key.Name}'" : $"'{raw.Name}' (alias of '{key.Name}')";
        return new ConfigError(raw.Name, raw.Text, raw.Source,
            $"Invalid value '{raw.Text.Trim()}' for {name} (from {raw.Source}): {problem}. Accepted: {key.Accepted}.");
    }

    private sealed record RawSetting(string Name, string Text, ConfigSource Source, int Sequence)
    {
        public bool Outranks(RawSetting other) =>
            Source.Kind > other.Source.Kind || (Source.Kind == other.Source.Kind && Sequence > other.Sequence);
    }
}
