using System.Collections;
using System.Text;

namespace Rhei.Configuration;

/// <summary>
/// Maps setting names to <c>RHEI_*</c> environment variables and back, the way Confluent's Kafka images do:
/// upper-case, <c>.</c> → <c>_</c>, a literal <c>_</c> → <c>__</c>, <c>-</c> → <c>___</c>.
/// So <c>log.dirs</c> ↔ <c>RHEI_LOG_DIRS</c> and <c>ksql.functions.collect_list.limit</c> ↔
/// <c>RHEI_KSQL_FUNCTIONS_COLLECT__LIST_LIMIT</c>.
/// </summary>
public static class EnvironmentVariables
{
    public const string Prefix = "RHEI_";

    /// <summary>
    /// <c>RHEI_*</c> variables that are not settings (read by tooling, not by the configuration) and are
    /// therefore skipped rather than reported as unknown settings.
    /// </summary>
    public static IReadOnlySet<string> NotSettings { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "RHEI_SHARED_DIR",
    };

    /// <summary>The variable that sets <paramref name="name"/>.</summary>
    public static string ToVariable(string name)
    {
        var sb = new StringBuilder(Prefix, Prefix.Length + name.Length * 2);
        foreach (var c in name)
        {
            sb.Append(c switch
            {
                '.' => "_",
                '_' => "__",
                '-' => "___",
                _ => char.ToUpperInvariant(c).ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// The setting name a <c>RHEI_*</c> variable stands for. Returns <c>false</c> for variables without the
    /// prefix, for <see cref="NotSettings"/>, and (with <paramref name="error"/> set) for runs of four or more
    /// underscores, which have no meaning.
    /// </summary>
    public static bool TryToName(string variable, out string name, out string? error)
    {
        name = "";
        error = null;
        if (!variable.StartsWith(Prefix, StringComparison.Ordinal) || variable.Length == Prefix.Length || NotSettings.Contains(variable))
        {
            return false;
        }
        var sb = new StringBuilder(variable.Length - Prefix.Length);
        for (var i = Prefix.Length; i < variable.Length; i++)
        {
            var c = variable[i];
            if (c != '_')
            {
                sb.Append(char.ToLowerInvariant(c));
                continue;
            }
            var run = 1;
            while (i + 1 < variable.Length && variable[i + 1] == '_')
            {
                run++;
                i++;
            }
            switch (run)
            {
                case 1: sb.Append('.'); break;
                case 2: sb.Append('_'); break;
                case 3: sb.Append('-'); break;
                default:
                    error = $"{run} underscores in a row have no meaning (_ is '.', __ is '_', ___ is '-')";
                    return false;
            }
        }
        name = sb.ToString();
        return true;
    }

    /// <summary>The current process's environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string ?? "";
        }
        return result;
    }
}
