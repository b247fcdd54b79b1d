using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class VariableTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["format"] = "JSON",
        ["replicas"] = "3",
        ["name"] = "Tom's",
        ["col"] = "profileId",
    };

    [Fact]
    public void References_are_replaced_in_sql_strings_and_quoted_names_but_not_in_comments()
    {
        var sql = "SELECT ${col} AS `x_${col}`, '${name}' FROM s -- ${col}\n/* ${col} */ LIMIT ${replicas}";
        Assert.Equal(
            "SELECT profileId AS `x_profileId`, 'Tom''s' FROM s -- ${col}\n/* ${col} */ LIMIT 3",
            SqlVariables.Substitute(sql, Variables));
    }

    [Fact]
    public void Names_compare_case_insensitively_and_unknown_references_stay()
    {
        Assert.Equal("JSON ${other}", SqlVariables.Substitute("${FORMAT} ${other}", Variables));
        Assert.Same("no refs", SqlVariables.Substitute("no refs", Variables));
    }

    [Fact]
    public void The_parser_substitutes_from_the_options()
    {
        var options = new SqlParserOptions { Variables = Variables };
        var create = ParseAssert.Statement<CreateStream>(
            "CREATE STREAM s (id INT KEY) WITH (kafka_topic='t', value_format='${format}', replicas=${replicas})", options);
        Assert.Equal(new TableProperty("VALUE_FORMAT", new StringLiteral("JSON")), create.Properties[1]);
        Assert.Equal(new TableProperty("REPLICAS", new IntegerLiteral(3)), create.Properties[2]);
        var query = ParseAssert.Statement<Query>("SELECT ${col} FROM s", options);
        Assert.Equal(new SingleColumn(new ColumnReference("PROFILEID")), query.Select[0]);
    }

    [Fact]
    public void An_undefined_variable_outside_a_string_is_an_error_at_its_position()
    {
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement("SELECT a\nFROM ${source}"));
        Assert.Equal((2, 6), (e.Line, e.Column));
        Assert.Contains("Undefined variable 'source'", e.Message, StringComparison.Ordinal);

        // Inside a string it is just text.
        Assert.Equal("${x}", ((StringLiteral)((SingleColumn)((Query)SqlParser.ParseStatement("SELECT '${x}' FROM s")).Select[0]).Expression).Text);
    }

    [Fact]
    public void A_scripts_DEFINE_and_UNDEFINE_apply_to_the_statements_after_them()
    {
        var script = """
            DEFINE topic = 'orders';
            DEFINE quoted = '''q''';
            CREATE STREAM s (id INT KEY) WITH (kafka_topic='${topic}', value_format='JSON');
            SELECT '${quoted}' FROM s;
            UNDEFINE topic;
            CREATE STREAM t WITH (kafka_topic='${topic}');
            """;
        var parsed = SqlParser.ParseScript(script);
        Assert.Equal(6, parsed.Length);
        Assert.Equal(new DefineVariable("quoted", "'q'"), parsed[1].Statement);
        var create = Assert.IsType<CreateStream>(parsed[2].Statement);
        Assert.Equal(new StringLiteral("orders"), create.Properties[0].Value);
        Assert.Equal("CREATE STREAM s (id INT KEY) WITH (kafka_topic='orders', value_format='JSON');", parsed[2].Text);
        Assert.Equal("CREATE STREAM s (id INT KEY) WITH (kafka_topic='${topic}', value_format='JSON');", parsed[2].SourceText);
        Assert.Equal(new StringLiteral("'q'"), ((SingleColumn)((Query)parsed[3].Statement).Select[0]).Expression);
        Assert.Equal(new StringLiteral("${topic}"), ((CreateStream)parsed[5].Statement).Properties[0].Value);

        // Variables given in the options are a starting point; the caller's dictionary is not modified.
        var given = new Dictionary<string, string> { ["topic"] = "x" };
        SqlParser.ParseScript("UNDEFINE topic; SELECT 1 FROM s;", new SqlParserOptions { Variables = given });
        Assert.Equal("x", given["topic"]);
    }

    [Fact]
    public void Positions_after_a_substitution_count_lines_from_the_script_and_columns_in_the_substituted_text()
    {
        // "  SELECT * FROM x WHERE;": the ';' is at column 24 once ${t} became x.
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseScript("DEFINE t = 'x';\n\n  SELECT * FROM ${t} WHERE;"));
        Assert.Equal(3, e.Line);
        Assert.Equal(24, e.Column);
    }
}
