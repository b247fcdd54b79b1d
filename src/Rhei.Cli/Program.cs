namespace Rhei.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => RheiCli.RunAsync(args, CliContext.FromProcess());
}
