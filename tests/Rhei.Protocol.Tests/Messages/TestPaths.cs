using Rhei.Protocol.Generator;

namespace Rhei.Protocol.Tests.Messages;

/// <summary>Where the repository and the shared reference data are, seen from the test binaries.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = ProtocolGenerator.FindRepositoryRoot(AppContext.BaseDirectory);

    public static string SharedDirectory { get; } = ProtocolGenerator.SharedDirectory(RepositoryRoot);

    public static string SpecsDirectory => Path.Combine(SharedDirectory, "kafka", "message-specs");

    public static string ErrorCodesFile => Path.Combine(SharedDirectory, "kafka", "error-codes.tsv");

    public static string GeneratedDirectory => Path.Combine(RepositoryRoot, "src", "Rhei.Protocol", "Messages", "Generated");
}
