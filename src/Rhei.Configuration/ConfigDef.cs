namespace Rhei.Configuration;

/// <summary>
/// A settings table: the keys (with their aliases) and the pass-through prefixes. Rhei's own table is
/// <see cref="RheiSettings.Definition"/>; tests may build small ones.
/// </summary>
public sealed class ConfigDef
{
    private readonly List<ConfigKey> _keys = [];
    private readonly Dictionary<string, ConfigKey> _byName = new(StringComparer.Ordinal);
    private readonly List<PassThroughPrefix> _prefixes = [];
    private readonly List<Func<RheiConfig, IEnumerable<ConfigError>>> _checks = [];

    /// <summary>The keys in the order they were defined.</summary>
    public IReadOnlyList<ConfigKey> Keys => _keys;

    public IReadOnlyList<PassThroughPrefix> PassThroughPrefixes => _prefixes;

    /// <summary>Checks that involve more than one setting; they run after every value parsed and validated.</summary>
    public IReadOnlyList<Func<RheiConfig, IEnumerable<ConfigError>>> Checks => _checks;

    /// <summary>
    /// Adds a key. Its default is parsed and validated now: a table with a bad default is a programming
    /// error and throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public ConfigDef Define(
        string name,
        ConfigType type,
        string? defaultText,
        ConfigImportance importance,
        RheiLayer usedBy,
        string documentation,
        ConfigValidator? validator = null,
        IReadOnlyList<string>? aliases = null,
        bool perQuery = false)
    {
        object? defaultValue = null;
        if (defaultText is not null)
        {
            if (!ValueParser.TryParse(type, defaultText, out defaultValue, out var error))
            {
                throw new InvalidOperationException($"The default '{defaultText}' of '{name}' is invalid: {error}.");
            }
            if (validator?.Check(defaultValue!) is { } problem)
            {
                throw new InvalidOperationException($"The default '{defaultText}' of '{name}' is invalid: {problem}.");
            }
        }
        var key = new ConfigKey
        {
            Name = name,
            Type = type,
            DefaultText = defaultText,
            DefaultValue = defaultValue,
            Importance = importance,
            UsedBy = usedBy,
            Documentation = documentation,
            Validator = validator,
            Aliases = aliases ?? [],
            PerQuery = perQuery,
        };
        foreach (var n in key.Aliases.Prepend(name))
        {
            if (!_byName.TryAdd(n, key))
            {
                throw new InvalidOperationException($"The setting name '{n}' is defined twice.");
            }
        }
        _keys.Add(key);
        return this;
    }

    /// <summary>Accepts every name starting with <paramref name="prefix"/> that is not a key, as text.</summary>
    public ConfigDef AllowPrefix(string prefix, RheiLayer usedBy, string documentation)
    {
        _prefixes.Add(new PassThroughPrefix(prefix, usedBy, documentation));
        return this;
    }

    /// <summary>Adds a check across settings (e.g. a minimum no larger than a maximum).</summary>
    public ConfigDef AddCheck(Func<RheiConfig, IEnumerable<ConfigError>> check)
    {
        _checks.Add(check);
        return this;
    }

    /// <summary>The key with this name or alias, or <c>null</c>.</summary>
    public ConfigKey? Find(string nameOrAlias) => _byName.GetValueOrDefault(nameOrAlias);

    /// <summary>The key with this name or alias; throws <see cref="ArgumentException"/> when there is none.</summary>
    public ConfigKey this[string nameOrAlias] =>
        Find(nameOrAlias) ?? throw new ArgumentException($"'{nameOrAlias}' is not a defined setting.", nameof(nameOrAlias));

    /// <summary>The longest pass-through prefix that <paramref name="name"/> starts with, or <c>null</c>.</summary>
    public PassThroughPrefix? FindPassThrough(string name) =>
        _prefixes.Where(p => name.StartsWith(p.Prefix, StringComparison.Ordinal) && name.Length > p.Prefix.Length)
            .MaxBy(p => p.Prefix.Length);

    /// <summary>Up to three known names close to <paramref name="unknown"/> (edit distance), closest first.</summary>
    public IReadOnlyList<string> SuggestNames(string unknown)
    {
        var limit = Math.Max(2, unknown.Length / 4);
        return _byName.Keys
            .Select(n => (Name: n, Distance: EditDistance(unknown, n)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Name)
            .ToList();
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
