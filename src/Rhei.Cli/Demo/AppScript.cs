using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Cli.Demo;

/// <summary>
/// The statements of <c>examples/four-statements/app.sql</c>, which ships inside the <c>rhei</c> assembly so that
/// <c>rhei demo</c> runs the same text a person reads in the example.
/// </summary>
internal sealed record AppScript(IReadOnlyList<string> Statements)
{
    /// <summary>The database URL app.sql is written with (relative to the directory <c>rhei</c> runs in).</summary>
    public const string SqliteUrl = "jdbc:sqlite:demo-data/shop.db";

    private const string ResourceName = "Rhei.Cli.Demo.app.sql";

    /// <summary>app.sql with its <c>connection.url</c> pointing at <paramref name="databasePath"/>.</summary>
    public static AppScript Load(string databasePath)
    {
        using var stream = typeof(AppScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no {ResourceName} resource; the build embeds examples/four-statements/app.sql.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        if (!text.Contains(SqliteUrl, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"app.sql no longer connects to {SqliteUrl}; update {nameof(AppScript)}.{nameof(SqliteUrl)}.");
        }

        text = text.Replace(SqliteUrl, "jdbc:sqlite:" + databasePath.Replace('\\', '/'), StringComparison.Ordinal);
        return new AppScript([.. SqlScript.Split(text).Select(s => s.Text)]);
    }

    /// <summary>What the statement does, for the demo's step headings.</summary>
    public static string Describe(string statement)
    {
        Statement parsed;
        try
        {
            parsed = SqlParser.ParseStatement(statement);
        }
        catch (SqlParseException)
        {
            return "   (a statement Rhei cannot parse; the server will say why)";
        }

        return parsed switch
        {
            CreateConnector => "1. capture: a JDBC source connector copies new rows into topics",
            CreateSource { SourceType: SourceType.Stream } source => $"   declare the columns of the captured topic as the stream {source.Name}",
            CreateSource source => $"   declare the columns of the captured topic as the table {source.Name}",
            CreateAsSelect { SourceType: SourceType.Stream } => "2. transform: a continuous query rewrites every purchase",
            CreateAsSelect => "3. materialize: orders per country in 5-minute windows, always up to date",
            Query => "4. serve: a pull query looks up the current answer",
            _ => "   " + parsed.GetType().Name,
        };
    }

    /// <summary>True for a SELECT (sent to the query endpoint, not /ksql).</summary>
    public static bool IsQuery(string statement) => statement.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
}
