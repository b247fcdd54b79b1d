using Rhei.Formats.Delimited;
using Rhei.Formats.Json;
using Rhei.Formats.Kafka;
using Rhei.Formats.None;

namespace Rhei.Formats.Serde;

/// <summary>
/// The formats by name (case-insensitive). <see cref="CreateDefault"/> has KAFKA, JSON, DELIMITED and NONE; the
/// schema-registry formats are added with <see cref="Register"/> once a registry client exists.
/// </summary>
public sealed class FormatRegistry
{
    private readonly Dictionary<string, SerdeFormat> _formats = new(StringComparer.OrdinalIgnoreCase);

    public static FormatRegistry CreateDefault()
    {
        var registry = new FormatRegistry();
        registry.Register(KafkaFormat.Instance);
        registry.Register(JsonFormat.Instance);
        registry.Register(DelimitedFormat.Instance);
        registry.Register(NoneFormat.Instance);
        return registry;
    }

    public IReadOnlyCollection<SerdeFormat> Formats => _formats.Values;

    /// <summary>Adds a format, replacing one of the same name.</summary>
    public void Register(SerdeFormat format) => _formats[format.Name] = format;

    public bool TryGet(string name, out SerdeFormat format) => _formats.TryGetValue(name, out format!);

    /// <exception cref="FormatValidationException"><c>Unknown format: FOO</c>.</exception>
    public SerdeFormat Get(string name) =>
        _formats.TryGetValue(name, out var format) ? format : throw new FormatValidationException($"Unknown format: {name}");
}
