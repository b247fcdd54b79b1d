namespace Rhei.Protocol.Generator;

/// <summary>
/// <c>dotnet run --project tools/Rhei.Protocol.Generator -- [--specs DIR] [--errors FILE] [--out DIR]</c>
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            // The repository holding the current directory, else the one this tool was built in.
            string root;
            try
            {
                root = ProtocolGenerator.FindRepositoryRoot(Directory.GetCurrentDirectory());
            }
            catch (DirectoryNotFoundException)
            {
                root = ProtocolGenerator.FindRepositoryRoot(AppContext.BaseDirectory);
            }
            var shared = ProtocolGenerator.SharedDirectory(root);
            string? specs = null;
            string? errors = null;
            string? output = null;
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"Option {args[i]} needs a value.");
                switch (args[i])
                {
                    case "--specs":
                        specs = value;
                        break;
                    case "--errors":
                        errors = value;
                        break;
                    case "--out":
                        output = value;
                        break;
                    default:
                        throw new ArgumentException($"Unknown option {args[i]}; use --specs DIR, --errors FILE, --out DIR.");
                }
                i++;
            }
            specs ??= Path.Combine(shared, "kafka", "message-specs");
            errors ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(specs))!, "error-codes.tsv");
            output ??= Path.Combine(root, "src", "Rhei.Protocol", "Messages", "Generated");
            var written = ProtocolGenerator.Run(specs, errors, output);
            Console.WriteLine($"Generated {written.Count} files into {output}.");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
