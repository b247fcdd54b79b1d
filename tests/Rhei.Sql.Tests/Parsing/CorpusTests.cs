using System.Text;
using System.Text.Json;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;
using Xunit.Abstractions;

namespace Rhei.Sql.Tests.Parsing;

/// <summary>
/// Parses every statement of ksqlDB's query-validation cases (read from the shared reference data at test time):
/// cases that expect no error must parse, and every parsed statement must round-trip through its printed SQL.
/// </summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    private sealed record Case(
        string File, string Name, IReadOnlyList<string> Statements, bool ExpectsError, bool Enabled, string? ExpectedMessage)
    {
        /// <summary>rqtt cases (REST) send each statement in its own request.</summary>
        public bool IsRest { get; init; }
    }

    private static List<Case> LoadCases()
    {
        var cases = new List<Case>();
        foreach (var file in SharedData.KsqlCaseFiles())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var test in doc.RootElement.GetProperty("tests").EnumerateArray())
            {
                if (!test.TryGetProperty("statements", out var statements))
                {
                    continue;
                }

                var format = "JSON";
                var enabled = !test.TryGetProperty("enabled", out var en) || en.ValueKind != JsonValueKind.False;
                var expectsError = test.TryGetProperty("expectedException", out var exception) | test.TryGetProperty("expectedError", out var error);
                var expected = expectsError ? (exception.ValueKind == JsonValueKind.Object ? exception : error) : default;
                var message = expected.ValueKind == JsonValueKind.Object && expected.TryGetProperty("message", out var m) ? m.GetString() : null;
                cases.Add(new Case(
                    Path.GetFileName(file),
                    test.GetProperty("name").GetString() ?? "",
                    [.. statements.EnumerateArray().Select(s => (s.GetString() ?? "").Replace("{FORMAT}", format, StringComparison.Ordinal))],
                    expectsError,
                    enabled,
                    message)
                {
                    IsRest = Path.GetFileName(Path.GetDirectoryName(file)) == "rqtt",
                });
            }
        }

        return cases;
    }

    [Fact]
    public void Every_case_without_an_expected_error_parses_and_round_trips()
    {
        var cases = LoadCases();
        Assert.NotEmpty(cases);

        int statements = 0, parsedCases = 0, failedExpectedErrorCases = 0;
        var unexpected = new StringBuilder();
        var roundTripFailures = new StringBuilder();
        var unexpectedCount = 0;
        var roundTripCount = 0;
        foreach (var c in cases)
        {
            var script = string.Join("\n", c.Statements);
            IReadOnlyList<ParsedStatement> parsed;
            try
            {
                parsed = SqlParser.ParseScript(script);
                parsedCases++;
            }
            catch (SqlParseException e)
            {
                if (c.ExpectsError)
                {
                    failedExpectedErrorCases++;
                }
                else if (c.Enabled)
                {
                    unexpectedCount++;
                    unexpected.AppendLine($"{c.File} | {c.Name}: {e.Message}");
                }

                continue;
            }

            foreach (var p in parsed)
            {
                statements++;
                var printed = p.Statement.ToSql();
                try
                {
                    var reparsed = SqlParser.ParseStatement(printed);
                    if (!reparsed.Equals(p.Statement))
                    {
                        roundTripCount++;
                        roundTripFailures.AppendLine($"{c.File} | {c.Name}:\n  {p.Text}\n  {printed}\n  {reparsed.ToSql()}");
                    }
                }
                catch (SqlParseException e)
                {
                    roundTripCount++;
                    roundTripFailures.AppendLine($"{c.File} | {c.Name}:\n  {p.Text}\n  {printed}\n  {e.Message}");
                }
            }
        }

        output.WriteLine(
            $"{cases.Count} cases: {parsedCases} parse ({statements} statements, all round-tripped: {roundTripCount == 0}); "
            + $"{failedExpectedErrorCases} cases that expect an error fail to parse; {unexpectedCount} unexpected failures.");
        Assert.True(unexpectedCount == 0, $"{unexpectedCount} cases failed to parse:\n{unexpected}");
        Assert.True(roundTripCount == 0, $"{roundTripCount} statements did not round-trip:\n{roundTripFailures}");
    }

    /// <summary>
    /// Cases whose expected error is a parse error (ksqlDB's message mentions a syntax error or a number overflow)
    /// fail here, at the position ksqlDB reports and with its wording. The engine's additions ("Failed to prepare
    /// statement: " before, "\nStatement: ..." after) are not the parser's and are cut from the expectation. qtt cases
    /// run their statements as one script (ksqlDB's line numbers count across them); rqtt cases send each statement
    /// in its own request.
    /// </summary>
    [Fact]
    public void Parse_error_cases_fail_where_and_as_ksqlDB_reports()
    {
        var cases = LoadCases()
            .Where(c => c.ExpectedMessage is { } m && (m.Contains("Syntax Error", StringComparison.Ordinal)
                || m.Contains("Syntax error", StringComparison.Ordinal) || m.Contains("Number overflows", StringComparison.Ordinal)))
            .ToList();
        Assert.True(cases.Count >= 20, $"only {cases.Count} parse-error cases found");

        var mismatches = new StringBuilder();
        foreach (var c in cases)
        {
            var expected = c.ExpectedMessage!.Replace("Failed to prepare statement: ", "", StringComparison.Ordinal);
            var statementSuffix = expected.IndexOf("\nStatement: ", StringComparison.Ordinal);
            if (statementSuffix >= 0)
            {
                expected = expected[..statementSuffix];
            }

            var error = ParseFailure(c);
            if (error is null)
            {
                mismatches.AppendLine($"{c.File} | {c.Name}: parsed, but ksqlDB fails with: {expected}");
            }
            else if (!error.Message.Contains(expected, StringComparison.Ordinal) && !error.ShortMessage.Contains(expected, StringComparison.Ordinal))
            {
                mismatches.AppendLine($"{c.File} | {c.Name}:\n  expected: {expected}\n  actual:   {error.Message} | {error.ShortMessage}");
            }
        }

        output.WriteLine($"{cases.Count} parse-error cases checked");
        Assert.True(mismatches.Length == 0, mismatches.ToString());
    }

    private static SqlParseException? ParseFailure(Case c)
    {
        try
        {
            if (c.IsRest)
            {
                foreach (var statement in c.Statements)
                {
                    SqlParser.ParseStatement(statement);
                }
            }
            else
            {
                SqlParser.ParseScript(string.Join("\n", c.Statements));
            }

            return null;
        }
        catch (SqlParseException e)
        {
            return e;
        }
    }
}
