using System.Text;
using System.Text.Json;

namespace Rhei.Engine.Commands;

/// <summary>
/// One record of the command topic: either a statement that changes the metastore (its text, the session's property
/// overrides, and the id of the query it starts, so a replay gives the query the same id and internal topics), or a
/// marker saying that the statement at <see cref="FailedOffset"/> failed when it first ran (replays skip it), or a
/// marker saying that the statement at <see cref="CompletedOffset"/> ran to the end on the node that wrote it (other
/// nodes following the topic run a command once its outcome is known).
/// The value is JSON: <c>{"statement":"...","streamsProperties":{...},"queryId":"CTAS_T_1","version":1}</c>,
/// <c>{"failedCommand":5,"error":"...","version":1}</c> or <c>{"completedCommand":5,"version":1}</c>.
/// </summary>
public sealed record CommandRecord
{
    /// <summary>The format version written; records of a higher version are skipped by this build (logged).</summary>
    public const int CurrentVersion = 1;

    /// <summary>The statement text (variables already substituted), or null for a failure marker.</summary>
    public string? Statement { get; init; }

    /// <summary>The property overrides the statement ran with (the session's SET and the request's streamsProperties).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The id of the persistent query the statement starts (CSAS, CTAS, INSERT INTO ... SELECT).</summary>
    public string? QueryId { get; init; }

    /// <summary>For a failure marker: the offset of the command that failed.</summary>
    public long? FailedOffset { get; init; }

    /// <summary>For a failure marker: why the command failed.</summary>
    public string? Error { get; init; }

    /// <summary>For a completion marker: the offset of the command that ran to the end.</summary>
    public long? CompletedOffset { get; init; }

    public int Version { get; init; } = CurrentVersion;

    public bool IsFailureMarker => FailedOffset is not null;

    public bool IsCompletionMarker => CompletedOffset is not null;

    /// <summary>A failure or completion marker (not a statement).</summary>
    public bool IsMarker => IsFailureMarker || IsCompletionMarker;

    /// <summary>A statement command.</summary>
    public static CommandRecord ForStatement(string statement, IReadOnlyDictionary<string, string> properties, string? queryId) =>
        new() { Statement = statement, Properties = properties, QueryId = queryId };

    /// <summary>The marker for a command that failed.</summary>
    public static CommandRecord ForFailure(long offset, string error) => new() { FailedOffset = offset, Error = error };

    /// <summary>The marker for a command that ran to the end.</summary>
    public static CommandRecord ForCompletion(long offset) => new() { CompletedOffset = offset };

    /// <summary>The record key: a readable command id (<c>statement/CTAS_T_1</c>, <c>failed/5</c>); replay does not use it.</summary>
    public string Key => IsFailureMarker ? $"failed/{FailedOffset}"
        : IsCompletionMarker ? $"completed/{CompletedOffset}"
        : QueryId is null ? "statement" : $"statement/{QueryId}";

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (IsFailureMarker)
            {
                w.WriteNumber("failedCommand", FailedOffset!.Value);
                w.WriteString("error", Error ?? "");
            }
            else if (IsCompletionMarker)
            {
                w.WriteNumber("completedCommand", CompletedOffset!.Value);
            }
            else
            {
                w.WriteString("statement", Statement);
                w.WriteStartObject("streamsProperties");
                foreach (var (k, v) in Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
                if (QueryId is not null)
                {
                    w.WriteString("queryId", QueryId);
                }
            }

            w.WriteNumber("version", Version);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a record value.</summary>
    /// <exception cref="FormatException">The value is not a command record.</exception>
    public static CommandRecord Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("A command record is a JSON object.");
            }

            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 1;
            if (root.TryGetProperty("failedCommand", out var failed))
            {
                return new CommandRecord
                {
                    FailedOffset = failed.GetInt64(),
                    Error = root.TryGetProperty("error", out var e) ? e.GetString() : null,
                    Version = version,
                };
            }

            if (root.TryGetProperty("completedCommand", out var completed))
            {
                return new CommandRecord { CompletedOffset = completed.GetInt64(), Version = version };
            }

            if (!root.TryGetProperty("statement", out var statement) || statement.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("A command record has a \"statement\" string, or a \"failedCommand\" or \"completedCommand\" offset.");
            }

            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("streamsProperties", out var props) && props.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in props.EnumerateObject())
                {
                    properties[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }
            }

            return new CommandRecord
            {
                Statement = statement.GetString(),
                Properties = properties,
                QueryId = root.TryGetProperty("queryId", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null,
                Version = version,
            };
        }
        catch (JsonException e)
        {
            throw new FormatException($"A command record is not valid JSON: {e.Message}", e);
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(ToJson());
}
