using Rhei.Sql.Parsing;

namespace Rhei.Engine.Tests.Demo;

/// <summary>The statements of <c>examples/four-statements/app.sql</c>, read from the repository.</summary>
internal sealed record AppSql(string Text, IReadOnlyList<string> Statements)
{
    /// <summary>The path of app.sql relative to the repository root.</summary>
    public const string RelativePath = "examples/four-statements/app.sql";

    /// <summary>The <c>connection.url</c> app.sql is written with.</summary>
    public const string SqliteUrl = "jdbc:sqlite:demo-data/shop.db";

    /// <summary>The CREATE SOURCE CONNECTOR statement.</summary>
    public string Connector => Statements[0];

    /// <summary>Everything between the connector and the pull query (declarations, transform, materialize).</summary>
    public IReadOnlyList<string> AfterConnector => [.. Statements.Skip(1).Take(Statements.Count - 2)];

    /// <summary>The pull query at the end.</summary>
    public string PullQuery => Statements[^1];

    public static AppSql Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, RelativePath)))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new FileNotFoundException($"{RelativePath} was not found above {AppContext.BaseDirectory}.");
        }

        var text = File.ReadAllText(Path.Combine(dir.FullName, RelativePath));
        return new AppSql(text, [.. SqlScript.Split(text).Select(s => s.Text)]);
    }
}
