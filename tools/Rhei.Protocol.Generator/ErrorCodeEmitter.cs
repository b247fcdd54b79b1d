using System.Globalization;
using System.Text;

namespace Rhei.Protocol.Generator;

/// <summary>Emits the ErrorCode enum and its default messages from error-codes.tsv (code, NAME, message).</summary>
internal static class ErrorCodeEmitter
{
    public static (string Enum, string Messages) Emit(string tsvPath)
    {
        var rows = new List<(short Code, string Name, string Message)>();
        foreach (var line in File.ReadAllLines(tsvPath).Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }
            var parts = line.Split('\t');
            if (parts.Length < 2)
            {
                throw new InvalidDataException($"{tsvPath}: malformed line '{line}'.");
            }
            rows.Add((short.Parse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                PascalCase(parts[1]),
                parts.Length > 2 ? parts[2] : ""));
        }
        rows.Sort((a, b) => a.Code.CompareTo(b.Code));

        var source = $"Apache Kafka's error codes ({Path.GetFileName(tsvPath)})";
        var e = new CodeWriter();
        GeneratedFiles.WriteHeader(e, source);
        e.Line("namespace Rhei.Protocol;");
        e.Line();
        e.Line("/// <summary>Kafka error codes, with Kafka's values; the wire carries them as int16.</summary>");
        e.Open("public enum ErrorCode : short");
        foreach (var row in rows)
        {
            e.Line($"{row.Name} = {row.Code},");
        }
        e.Close();

        var m = new CodeWriter();
        GeneratedFiles.WriteHeader(m, source);
        m.Line("namespace Rhei.Protocol;");
        m.Line();
        m.Line("/// <summary>Kafka's default message of each error code.</summary>");
        m.Open("public static class ErrorCodeExtensions");
        m.Line("/// <summary>The message Kafka uses for <paramref name=\"code\"/> when the broker has nothing more specific to say.</summary>");
        m.Open("public static string DefaultMessage(this ErrorCode code) => code switch");
        foreach (var row in rows)
        {
            m.Line($"ErrorCode.{row.Name} => {ValueCodec.Quote(row.Message)},");
        }
        m.Line("_ => $\"Unknown error code {(short)code}.\",");
        m.Close(";");
        m.Close();
        return (e.ToString(), m.ToString());
    }

    private static string PascalCase(string upperSnake)
    {
        var builder = new StringBuilder();
        foreach (var word in upperSnake.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append(word[0]).Append(word[1..].ToLowerInvariant());
        }
        return builder.ToString();
    }
}
