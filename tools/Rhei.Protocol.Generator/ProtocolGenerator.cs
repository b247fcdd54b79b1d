using System.Text;

namespace Rhei.Protocol.Generator;

/// <summary>
/// Generates Rhei.Protocol's message classes and API tables from Apache Kafka's JSON message specs.
/// Output is deterministic: the same specs always give byte-identical files.
/// </summary>
public static class ProtocolGenerator
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Generates every file in memory: file name → content.</summary>
    public static SortedDictionary<string, string> Generate(string specsDirectory, string errorCodesPath)
    {
        var specs = Directory.GetFiles(specsDirectory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(MessageSpec.Load)
            .ToDictionary(s => s.Name, StringComparer.Ordinal);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);

        var requests = specs.Values.Where(s => s.Type == "request" && s.ApiKey.HasValue).ToList();
        var allApis = new List<(MessageSpec Request, MessageSpec Response)>();
        foreach (var request in requests)
        {
            var name = TablesEmitter.ApiName(request);
            if (!specs.TryGetValue(name + "Response", out var response) || response.ApiKey != request.ApiKey)
            {
                throw new InvalidDataException($"No response spec matches {request.Name}.");
            }
            allApis.Add((request, response));
        }

        var served = new List<(string Name, short Min, short Max, MessageSpec Request)>();
        foreach (var (name, min, max) in ServedApis.Apis)
        {
            if (ServedApis.NeverAdvertised.Contains(name))
            {
                throw new InvalidDataException($"{name} must never be advertised.");
            }
            var range = new VersionRange(min, max);
            foreach (var suffix in new[] { "Request", "Response" })
            {
                var spec = specs.GetValueOrDefault(name + suffix) ?? throw new InvalidDataException($"No spec for {name}{suffix}.");
                files[$"{spec.Name}.g.cs"] = MessageEmitter.Emit(MessageResolver.Resolve(spec, range), name);
            }
            served.Add((name, min, max, specs[name + "Request"]));
        }
        foreach (var name in ServedApis.DataMessages)
        {
            var spec = specs.GetValueOrDefault(name) ?? throw new InvalidDataException($"No spec for {name}.");
            files[$"{spec.Name}.g.cs"] = MessageEmitter.Emit(MessageResolver.Resolve(spec, spec.ValidVersions), null);
        }

        files["ApiKey.g.cs"] = TablesEmitter.EmitApiKey(requests);
        files["ApiVersionsTable.g.cs"] = TablesEmitter.EmitVersionsTable(served);
        files["ApiMessages.g.cs"] = TablesEmitter.EmitApiMessages(allApis, served);
        var (errorEnum, errorMessages) = ErrorCodeEmitter.Emit(errorCodesPath);
        files["ErrorCode.g.cs"] = errorEnum;
        files["ErrorCodeExtensions.g.cs"] = errorMessages;
        return files;
    }

    /// <summary>Writes the generated files into <paramref name="outputDirectory"/>, deleting stale <c>*.g.cs</c> files.</summary>
    public static IReadOnlyList<string> Run(string specsDirectory, string errorCodesPath, string outputDirectory)
    {
        var files = Generate(specsDirectory, errorCodesPath);
        Directory.CreateDirectory(outputDirectory);
        foreach (var stale in Directory.GetFiles(outputDirectory, "*.g.cs"))
        {
            if (!files.ContainsKey(Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }
        var written = new List<string>();
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(outputDirectory, name);
            if (!File.Exists(path) || File.ReadAllText(path, Utf8NoBom) != content)
            {
                File.WriteAllText(path, content, Utf8NoBom);
            }
            written.Add(path);
        }
        return written;
    }

    /// <summary>The repository root: the nearest directory above <paramref name="start"/> holding Rhei.slnx.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rhei.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Rhei.slnx found above {start}.");
    }

    /// <summary>The shared reference data: $RHEI_SHARED_DIR, else &lt;repo&gt;/../shared.</summary>
    public static string SharedDirectory(string repositoryRoot) =>
        Environment.GetEnvironmentVariable("RHEI_SHARED_DIR") is { Length: > 0 } shared
            ? shared
            : Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared"));
}
