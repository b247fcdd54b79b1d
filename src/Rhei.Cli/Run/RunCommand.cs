using System.CommandLine;
using System.Globalization;
using Rhei.Cli.Sql;
using Rhei.Configuration;

namespace Rhei.Cli.Run;

/// <summary>
/// <c>rhei run FILE.sql [--server URL] [--duration D]</c>: runs a file of statements one by one, printing each with its
/// result. Without <c>--server</c> it starts an embedded server first (the same components as <c>rhei server</c>; on
/// free ports and a temporary data directory unless the configuration names them) and stops it at the end. Push
/// queries run for <c>--duration</c> each (or until their LIMIT, or Ctrl+C).
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The statements to run.", HelpName = "FILE.sql" };
        var server = new Option<string?>("--server")
        {
            Description = "Runs the statements on this server instead of starting an embedded one.",
            HelpName = "URL",
        };
        var duration = new Option<string?>("--duration")
        {
            Description = "How long each push query (EMIT CHANGES) runs before it is closed: 30s, 5m, 1h, 500ms. " +
                "Default: until its LIMIT or Ctrl+C.",
            HelpName = "D",
        };
        var output = new Option<OutputFormat>("--output")
        {
            Description = "How results are printed.",
            DefaultValueFactory = _ => OutputFormat.Tabular,
        };
        var define = new Option<string[]>("--define", "-d")
        {
            Description = "Defines a variable for ${name} substitution. Repeatable.",
            HelpName = "NAME=VALUE",
        };
        var configOptions = new ConfigOptions();

        var command = new Command("run", "Runs a file of SQL statements, on an embedded server or on --server, printing each result.");
        command.Arguments.Add(file);
        command.Options.Add(server);
        command.Options.Add(duration);
        command.Options.Add(output);
        command.Options.Add(define);
        configOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            if (!File.Exists(path))
            {
                context.Error.WriteLine($"rhei run: no such file: {path}");
                return 1;
            }

            TimeSpan? pushDuration = null;
            if (parseResult.GetValue(duration) is { } text)
            {
                if (!TryParseDuration(text, out var parsed))
                {
                    context.Error.WriteLine($"rhei run: --duration '{text}' is not a duration; write it like 30s, 5m, 1h or 500ms.");
                    return 1;
                }

                pushDuration = parsed;
            }

            var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var definition in parseResult.GetValue(define) ?? [])
            {
                var equals = definition.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    context.Error.WriteLine($"rhei run: --define '{definition}' is not NAME=VALUE.");
                    return 1;
                }

                variables[definition[..equals].Trim()] = definition[(equals + 1)..];
            }

            var format = parseResult.GetValue(output);
            if (parseResult.GetValue(server) is { } url)
            {
                if (!Uri.TryCreate(url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url, UriKind.Absolute, out var uri))
                {
                    context.Error.WriteLine($"rhei run: '{url}' is not a server URL.");
                    return 1;
                }

                return await RunFileAsync(context, uri, path, format, variables, pushDuration, cancellationToken);
            }

            return await RunEmbeddedAsync(context, parseResult, configOptions, path, format, variables, pushDuration, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunEmbeddedAsync(
        CliContext context, ParseResult parseResult, ConfigOptions configOptions, string path, OutputFormat format,
        Dictionary<string, string> variables, TimeSpan? pushDuration, CancellationToken cancellationToken)
    {
        var config = configOptions.Load(parseResult, context);
        if (config is null)
        {
            return 1;
        }

        // Unless told otherwise, the embedded server takes free ports and a data directory of its own, so that it
        // never collides with a 'rhei server' running from the same directory.
        string? temporaryData = null;
        var extra = new List<string>();
        if (config.GetValue(RheiSettings.Listeners).IsDefault)
        {
            extra.Add($"{RheiSettings.Listeners}=PLAINTEXT://127.0.0.1:0,HTTP://127.0.0.1:0");
        }

        if (config.GetValue(RheiSettings.LogDirs).IsDefault)
        {
            temporaryData = Path.Combine(Path.GetTempPath(), "rhei-run-" + Guid.NewGuid().ToString("N")[..12]);
            extra.Add($"{RheiSettings.LogDirs}={temporaryData}");
        }

        if (extra.Count > 0)
        {
            try
            {
                config = RheiConfig.Load(parseResult.GetValue(configOptions.ConfigFile), [.. parseResult.GetValue(configOptions.Set) ?? [], .. extra], context.Environment);
            }
            catch (ConfigException e)
            {
                context.Error.WriteLine("rhei run: " + e.Message);
                return 1;
            }
        }

        if (!config.Listeners.Any(l => l.Protocol == ListenerProtocol.Http))
        {
            context.Error.WriteLine("rhei run: the embedded server needs an HTTP listener; add one to `listeners` (e.g. HTTP://127.0.0.1:0).");
            return 1;
        }

        using var loggerFactory = ServerHost.CreateLoggerFactory();
        try
        {
            ServerComponents components;
            try
            {
                components = await ServerHost.StartAsync(config, loggerFactory, context.Error, cancellationToken);
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidDataException)
            {
                context.Error.WriteLine($"rhei run: could not start the embedded server: {e.Message}");
                return 1;
            }

            await using (components)
            {
                return await RunFileAsync(context, components.RestServer!.Addresses[0], path, format, variables, pushDuration, cancellationToken);
            }
        }
        finally
        {
            if (temporaryData is not null)
            {
                try
                {
                    Directory.Delete(temporaryData, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static Task<int> RunFileAsync(
        CliContext context, Uri server, string path, OutputFormat format, Dictionary<string, string> variables,
        TimeSpan? pushDuration, CancellationToken cancellationToken) =>
        SqlCommand.RunAsync(
            context,
            new SqlShellOptions(server, format, variables, TimeSpan.FromMinutes(2)) { PushQueryDuration = pushDuration, EchoStatements = true },
            statements: null,
            scriptFile: path,
            cancellationToken);

    /// <summary>30s, 5m, 1h, 500ms, 1.5s, or a bare number of seconds.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        text = text.Trim().ToLowerInvariant();
        (string Suffix, double Scale)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, scale) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                duration = TimeSpan.FromMilliseconds(value * scale);
                return true;
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
