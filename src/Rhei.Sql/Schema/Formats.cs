using System.Collections.Immutable;
using Rhei.Formats.Serde;
using Rhei.Formats.Windowed;

namespace Rhei.Sql.Schema;

/// <summary>A format by name with its properties (<c>delimiter</c>, <c>fullSchemaName</c>, ...), as ksqlDB's FormatInfo.</summary>
public sealed record FormatInfo(string Format, ImmutableSortedDictionary<string, string> Properties)
{
    public FormatInfo(string format)
        : this(format.ToUpperInvariant(), ImmutableSortedDictionary<string, string>.Empty)
    {
    }

    public static FormatInfo Of(string format, IEnumerable<KeyValuePair<string, string>>? properties = null) =>
        new(format.ToUpperInvariant(), (properties ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal));

    public string? Property(string name) => Properties.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => Properties.IsEmpty
        ? Format
        : $"{Format}{{{string.Join(", ", Properties.Select(p => $"{p.Key}={p.Value}"))}}}";
}

/// <summary>The window of a windowed key: its type and, for tumbling and hopping windows, its size.</summary>
public sealed record WindowInfo(WindowType Type, long? SizeMs, long? RetentionMs = null)
{
    public override string ToString() => SizeMs is { } s ? $"{Type.ToString().ToUpperInvariant()} {s} ms" : Type.ToString().ToUpperInvariant();
}

/// <summary>The format of a topic's keys: the format, its resolved features, and the window when the key is windowed.</summary>
public sealed record KeyFormat(FormatInfo Format, SerdeFeatures Features, WindowInfo? Window = null)
{
    public bool IsWindowed => Window is not null;

    public string Name => Format.Format;
}

/// <summary>The format of a topic's values and its resolved features.</summary>
public sealed record ValueFormat(FormatInfo Format, SerdeFeatures Features)
{
    public string Name => Format.Format;
}

/// <summary>A Kafka topic as a source sees it: name, key format and value format.</summary>
public sealed record KsqlTopic(string Name, KeyFormat KeyFormat, ValueFormat ValueFormat);

/// <summary>The column whose value is a record's event time (the TIMESTAMP property), with its format for strings.</summary>
public sealed record TimestampColumn(string Column, string? Format);
