using System.Globalization;
using System.Text;

namespace Rhei.Server.Metrics;

/// <summary>
/// Writes metric snapshots in Prometheus' text exposition format (version 0.0.4), with OpenTelemetry's naming rules:
/// dots become underscores, the unit is appended (<c>By</c> → <c>_bytes</c>, <c>s</c> → <c>_seconds</c>; annotations
/// such as <c>{record}</c> are dropped), counters end in <c>_total</c>, histograms have cumulative <c>_bucket</c>
/// series with <c>le</c> labels plus <c>_sum</c> and <c>_count</c>.
/// </summary>
public static class PrometheusWriter
{
    /// <summary>The content type of the exposition.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricSnapshot> metrics)
    {
        var text = new StringBuilder(16 * 1024);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            if (metric.Series.Count == 0)
            {
                continue;
            }

            var name = MetricName(metric);
            if (!written.Add(name))
            {
                continue;
            }

            var type = metric.Kind switch
            {
                MetricKind.Counter => "counter",
                MetricKind.Histogram => "histogram",
                _ => "gauge",
            };
            if (!string.IsNullOrEmpty(metric.Description))
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(metric.Description)).Append('\n');
            }

            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var series in metric.Series)
            {
                if (metric.Kind == MetricKind.Histogram && metric.Buckets is { } bounds && series.BucketCounts is { } counts)
                {
                    long cumulative = 0;
                    for (var i = 0; i < bounds.Length; i++)
                    {
                        cumulative += counts[i];
                        WriteSample(text, name + "_bucket", series.Tags, cumulative, ("le", Number(bounds[i])));
                    }

                    cumulative += counts[^1];
                    WriteSample(text, name + "_bucket", series.Tags, cumulative, ("le", "+Inf"));
                    WriteSample(text, name + "_sum", series.Tags, series.Value);
                    WriteSample(text, name + "_count", series.Tags, series.Count);
                }
                else
                {
                    WriteSample(text, name, series.Tags, series.Value);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The Prometheus name of an instrument: <c>rhei.broker.produce.bytes</c> (By, counter) → <c>rhei_broker_produce_bytes_total</c>.</summary>
    public static string MetricName(MetricSnapshot metric)
    {
        var name = Sanitize(metric.Name);
        var unit = UnitSuffix(metric.Unit);
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        if (metric.Kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => "",
        "By" => "bytes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "%" => "percent",
        _ when unit.StartsWith('{') => "",
        _ => Sanitize(unit),
    };

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':') || (i == 0 && char.IsAsciiDigit(c)))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static void WriteSample(StringBuilder text, string name, TagSet tags, double value, (string Name, string Value)? extra = null)
    {
        text.Append(name);
        if (tags.Tags.Count > 0 || extra is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (k, v) in tags.Tags)
            {
                if (!first)
                {
                    text.Append(',');
                }

                first = false;
                text.Append(Sanitize(k)).Append("=\"").Append(EscapeLabel(v)).Append('"');
            }

            if (extra is { } e)
            {
                if (!first)
                {
                    text.Append(',');
                }

                text.Append(e.Name).Append("=\"").Append(e.Value).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
