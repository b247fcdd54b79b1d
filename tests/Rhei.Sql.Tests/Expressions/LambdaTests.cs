using Rhei.Formats.Types;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Parsing;
using static Rhei.Sql.Tests.Expressions.ExpressionTestKit;

namespace Rhei.Sql.Tests.Expressions;

/// <summary>Lambdas: parameter types inferred from the function's signature, nesting, closures over columns.</summary>
public class LambdaTests
{
    private static readonly SqlMapType IntArrayMap = SqlTypes.Map(SqlTypes.String, SqlTypes.Array(SqlTypes.Integer));

    private static readonly ExpressionScope LambdaScope = ExpressionScope.Of(
        ("NUMBERS", SqlTypes.Array(SqlTypes.Integer)),
        ("WORDS", SqlTypes.Array(SqlTypes.String)),
        ("SCORES", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)),
        ("NESTED", IntArrayMap),
        ("MAPS", SqlTypes.Array(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer))),
        ("DECIMALS", SqlTypes.Array(SqlTypes.Decimal(3, 2))),
        ("TIMES", SqlTypes.Array(SqlTypes.Timestamp)),
        ("A", SqlTypes.Integer),
        ("BIGS", SqlTypes.Array(SqlTypes.BigInt)),
        ("STATE", SqlTypes.BigInt),
        ("EMPTY", SqlTypes.Array(SqlTypes.Integer)),
        ("NONE", SqlTypes.Array(SqlTypes.Integer)));

    private static object?[] LambdaRow =>
    [
        L(1, 6, 3, 9, null),
        L("yay", "nay", "ya"),
        new Dictionary<object, object?> { ["alpha"] = 10, ["be"] = 3, ["gamma"] = 15 },
        new Dictionary<object, object?> { ["one"] = L(1, 12), ["two"] = L(20, 30), ["three"] = L(11) },
        L(new Dictionary<object, object?> { ["abcdefg"] = 3, ["ab"] = 1 }, new Dictionary<object, object?> { ["xxxxxxx"] = 2 }),
        L(-1.25m, 2.50m),
        L(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
        100,
        L(1L, 2L),
        null,
        L(),
        null,
    ];

    public static TheoryData<string, string, string> Cases => new()
    {
        { "TRANSFORM(NUMBERS, x => x + 1)", "ARRAY<INTEGER>", "[INT 2, INT 7, INT 4, INT 10, NULL]" },
        { "TRANSFORM(NUMBERS, x => x * 2.5)", "ARRAY<DECIMAL(13, 1)>", "[DECIMAL 2.5, DECIMAL 15.0, DECIMAL 7.5, DECIMAL 22.5, NULL]" },
        { "TRANSFORM(NUMBERS, x => CAST(x AS STRING))", "ARRAY<STRING>", "[STRING 1, STRING 6, STRING 3, STRING 9, NULL]" },
        { "TRANSFORM(NUMBERS, x => x + A)", "ARRAY<INTEGER>", "[INT 101, INT 106, INT 103, INT 109, NULL]" },
        { "TRANSFORM(NUMBERS, x => x IS NULL)", "ARRAY<BOOLEAN>", "[BOOLEAN false, BOOLEAN false, BOOLEAN false, BOOLEAN false, BOOLEAN true]" },
        { "TRANSFORM(WORDS, w => UCASE(w))", "ARRAY<STRING>", "[STRING YAY, STRING NAY, STRING YA]" },
        { "TRANSFORM(DECIMALS, x => ABS(x))", "ARRAY<DECIMAL(3, 2)>", "[DECIMAL 1.25, DECIMAL 2.50]" },
        { "TRANSFORM(TIMES, x => TIMESTAMPADD(MILLISECONDS, 5, x))", "ARRAY<TIMESTAMP>", "[TIMESTAMP 2020-01-01T00:00:00.005]" },
        { "TRANSFORM(NUMBERS, x => STRUCT(Q := x + 5, P := 'h'))", "ARRAY<STRUCT<`Q` INTEGER, `P` STRING>>", "[STRUCT{Q=INT 6, P=STRING h}, STRUCT{Q=INT 11, P=STRING h}, STRUCT{Q=INT 8, P=STRING h}, STRUCT{Q=INT 14, P=STRING h}, STRUCT{Q=NULL, P=STRING h}]" },
        { "TRANSFORM(BIGS, x => ARRAY[NULL, STRUCT(X := A, Y := x), STRUCT(Y := A, Z := x)])", "ARRAY<ARRAY<STRUCT<`X` INTEGER, `Y` BIGINT, `Z` BIGINT>>>", "[[NULL, STRUCT{X=INT 100, Y=BIGINT 1, Z=NULL}, STRUCT{X=NULL, Y=BIGINT 100, Z=BIGINT 1}], [NULL, STRUCT{X=INT 100, Y=BIGINT 2, Z=NULL}, STRUCT{X=NULL, Y=BIGINT 100, Z=BIGINT 2}]]" },
        { "TRANSFORM(EMPTY, x => x + 1)", "ARRAY<INTEGER>", "[]" },
        { "TRANSFORM(NONE, x => x + 1)", "ARRAY<INTEGER>", "NULL" },
        { "TRANSFORM(SCORES, (k, v) => UCASE(k), (k, v) => v * 2)", "MAP<STRING, INTEGER>", "MAP{STRING ALPHA=INT 20, STRING BE=INT 6, STRING GAMMA=INT 30}" },
        { "TRANSFORM(SCORES, (k, v) => v, (k, v) => CONCAT(k, '!'))", "MAP<INTEGER, STRING>", "MAP{INT 10=STRING alpha!, INT 3=STRING be!, INT 15=STRING gamma!}" },
        { "FILTER(NUMBERS, x => x > 5)", "ARRAY<INTEGER>", "[INT 6, INT 9]" },
        { "FILTER(NUMBERS, x => x > A)", "ARRAY<INTEGER>", "[]" },
        { "FILTER(WORDS, x => INSTR(x, 'ya') > 0)", "ARRAY<STRING>", "[STRING yay, STRING ya]" },
        { "FILTER(SCORES, (k, v) => LEN(k) * 5 > 15 AND v % 5 = 0)", "MAP<STRING, INTEGER>", "MAP{STRING alpha=INT 10, STRING gamma=INT 15}" },
        { "FILTER(NESTED, (x, y) => INSTR(x, 'e') > 0 AND ARRAY_MIN(y) < 12)", "MAP<STRING, ARRAY<INTEGER>>", "MAP{STRING one=[INT 1, INT 12], STRING three=[INT 11]}" },
        { "REDUCE(NUMBERS, 0, (s, x) => s + IFNULL(x, 0))", "INTEGER", "INT 19" },
        { "REDUCE(NUMBERS, 0, (s, x) => s + x)", "INTEGER", "NULL" },
        { "REDUCE(BIGS, CAST(0 AS BIGINT), (s, x) => s + x)", "BIGINT", "BIGINT 3" },
        { "REDUCE(NUMBERS, CAST(1.5 AS DECIMAL(10, 1)), (s, x) => s + IFNULL(x, 0))", "DECIMAL(10, 1)", "DECIMAL 20.5" },
        { "REDUCE(SCORES, 0, (s, k, v) => CASE WHEN LEN(k) > 3 THEN s + v ELSE s - v END)", "INTEGER", "INT 22" },
        { "REDUCE(SCORES, STATE, (s, k, v) => v + s)", "BIGINT", "NULL" },
        { "REDUCE(SCORES, CAST(3.2 AS DOUBLE), (s, k, v) => CASE WHEN INSTR(k, 'a') > 0 THEN CEIL(v * s) ELSE FLOOR(s * v) END)", "DOUBLE", "DOUBLE 1440" },
        { "TRANSFORM(TRANSFORM(NESTED, (x, y) => x, (x, y) => FILTER(y, z => z < 25)), (x, y) => UCASE(x), (k, v) => ARRAY_MAX(v))", "MAP<STRING, INTEGER>", "MAP{STRING ONE=INT 12, STRING TWO=INT 20, STRING THREE=INT 11}" },
        { "REDUCE(MAPS, 5, (s, a) => s + REDUCE(TRANSFORM(FILTER(a, (x, y) => LEN(x) > 5 AND y % 2 != 0), (e, f) => CONCAT(e, 'leah'), (g, h) => h + LEN(g)), 0, (s2, r, b) => s2 + 2 * b))", "INTEGER", "INT 25" },
        { "TRANSFORM(NUMBERS, x => TRANSFORM(ARRAY[1, 2], y => x * y))", "ARRAY<ARRAY<INTEGER>>", "[[INT 1, INT 2], [INT 6, INT 12], [INT 3, INT 6], [INT 9, INT 18], [NULL, NULL]]" },
        { "TRANSFORM(NUMBERS, x => TRANSFORM(ARRAY[1, 2], x => x * 10))", "ARRAY<ARRAY<INTEGER>>", "[[INT 10, INT 20], [INT 10, INT 20], [INT 10, INT 20], [INT 10, INT 20], [INT 10, INT 20]]" },
        { "TRANSFORM(ARRAY[1, 2, 3], x => x * x)", "ARRAY<INTEGER>", "[INT 1, INT 4, INT 9]" },
        { "ARRAY_LENGTH(FILTER(NUMBERS, x => x IS NOT NULL))", "INTEGER", "INT 4" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates(string sql, string type, string expected)
    {
        var bound = Binder.Bind(SqlParser.ParseExpression(sql), LambdaScope);
        Assert.Equal(type, bound.Type!.ToString());
        Assert.Equal(expected, Describe(ExpressionCompiler.Compile(bound)(LambdaRow)));
    }

    [Fact]
    public void LambdaVariablesAreTypedFromTheSignature()
    {
        var bound = (BoundFunctionCall)Binder.Bind(SqlParser.ParseExpression("TRANSFORM(SCORES, (k, v) => k, (k, v) => v)"), LambdaScope);
        var keyLambda = (BoundLambda)bound.Arguments[1];
        Assert.Equal<SqlType>([SqlTypes.String, SqlTypes.Integer], [.. keyLambda.ParameterTypes]);
        Assert.Equal(SqlTypes.String, keyLambda.Body.Type);
    }

    [Fact]
    public void PrintsAsKsqlDbDoes()
    {
        var bound = Binder.Bind(SqlParser.ParseExpression("reduce(numbers, 0, (s, x) => s + x)"), LambdaScope);
        Assert.Equal("REDUCE(NUMBERS, 0, (S, X) => (S + X))", bound.ToSql());
    }

    [Theory]
    [InlineData("TRANSFORM(A, x => x)", "Function 'transform' does not accept parameters (INTEGER, LAMBDA)")]
    [InlineData("FILTER(NUMBERS, x => x + 1)", "Function 'filter' does not accept parameters (ARRAY<INTEGER>, LAMBDA => INTEGER)")]
    [InlineData("TRANSFORM(NUMBERS, (x, y) => x)", "Function 'transform' does not accept parameters (ARRAY<INTEGER>, LAMBDA)")]
    [InlineData("REDUCE(BIGS, 0, (s, x) => s + x)", "Function 'reduce' does not accept parameters (ARRAY<BIGINT>, INTEGER, LAMBDA => BIGINT)")]
    [InlineData("TRANSFORM(NUMBERS, x => x + 'a')", "Error processing expression: (X + 'a'). Unsupported arithmetic types. INTEGER STRING")]
    public void BindErrors(string sql, string message) =>
        Assert.StartsWith(message, Assert.Throws<SqlBindingException>(() => Binder.Bind(SqlParser.ParseExpression(sql), LambdaScope)).Message);
}
