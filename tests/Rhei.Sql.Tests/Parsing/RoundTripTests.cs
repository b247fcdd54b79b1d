using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

/// <summary><c>Parse(Print(ast)) == ast</c> over random ASTs of every kind.</summary>
public sealed class RoundTripTests
{
    private static readonly SqlParserOptions TestStatements = new() { AllowTestStatements = true };

    [Fact]
    public void Random_expressions_round_trip()
    {
        for (var seed = 0; seed < 3000; seed++)
        {
            var expression = new AstGenerator(seed).Expression();
            Check(expression.ToSql(), expression, s => SqlParser.ParseExpression(s), seed);
        }
    }

    [Fact]
    public void Random_types_round_trip()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var type = new AstGenerator(seed).Type();
            Check(type.ToSql(), type, s => SqlParser.ParseType(s), seed);
        }
    }

    [Fact]
    public void Random_statements_round_trip()
    {
        for (var seed = 0; seed < 3000; seed++)
        {
            var statement = new AstGenerator(seed).Statement(testStatements: true);
            Check(statement.ToSql(), statement, s => SqlParser.ParseStatement(s, TestStatements), seed);
        }
    }

    private static void Check<T>(string printed, T expected, Func<string, T> parse, int seed)
        where T : SqlNode
    {
        T actual;
        try
        {
            actual = parse(printed);
        }
        catch (SqlParseException e)
        {
            Assert.Fail($"seed {seed}: the printed form does not parse: {e.Message}\n{printed}");
            return;
        }

        if (!expected.Equals(actual))
        {
            Assert.Fail($"seed {seed}: the printed form parses to a different tree\nprinted:  {printed}\nreprinted: {actual.ToSql()}");
        }
    }
}
