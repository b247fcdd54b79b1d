namespace Rhei.Cli.Sql;

/// <summary>How the shell prints results: tables for people, or the server's JSON for programs.</summary>
public enum OutputFormat
{
    Tabular,
    Json,
}
