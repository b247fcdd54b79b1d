using Rhei.Sql.Compilation;
using static Rhei.Sql.Tests.Expressions.ExpressionTestKit;

namespace Rhei.Sql.Tests.Expressions;

/// <summary>Literals, CAST, CASE, constructors, subscripts and struct fields: result types and values.</summary>
public class ValueExpressionTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // Literals are typed as ksqlDB types them.
        { "1", "INTEGER", "INT 1" },
        { "-2147483648", "INTEGER", "INT -2147483648" },
        { "2147483648", "BIGINT", "BIGINT 2147483648" },
        { "-00009223372036854775807", "BIGINT", "BIGINT -9223372036854775807" },
        { "2.345", "DECIMAL(4, 3)", "DECIMAL 2.345" },
        { "0.908", "DECIMAL(4, 3)", "DECIMAL 0.908" },
        { "0.05", "DECIMAL(3, 2)", "DECIMAL 0.05" },
        { "10.0", "DECIMAL(3, 1)", "DECIMAL 10.0" },
        { "1.5E0", "DOUBLE", "DOUBLE 1.5" },
        { "04.90E-324", "DOUBLE", "DOUBLE 5E-324" },
        { "1.7976931348623157E308", "DOUBLE", "DOUBLE 1.7976931348623157E+308" },
        { "'it''s'", "STRING", "STRING it's" },
        { "true", "BOOLEAN", "BOOLEAN true" },
        { "FALSE", "BOOLEAN", "BOOLEAN false" },

        // Columns and parentheses.
        { "I", "INTEGER", "INT 7" },
        { "T.I", "INTEGER", "INT 7" },
        { "(I)", "INTEGER", "INT 7" },
        { "N", "INTEGER", "NULL" },

        // CAST.
        { "CAST(I AS BIGINT)", "BIGINT", "BIGINT 7" },
        { "CAST(I AS DOUBLE)", "DOUBLE", "DOUBLE 7" },
        { "CAST(I AS STRING)", "STRING", "STRING 7" },
        { "CAST(I AS DECIMAL(3, 1))", "DECIMAL(3, 1)", "DECIMAL 7.0" },
        { "CAST(D AS INT)", "INTEGER", "INT 2" },
        { "CAST(D2 AS BIGINT)", "BIGINT", "BIGINT 0" },
        { "CAST(D AS STRING)", "STRING", "STRING 2.5" },
        { "CAST(M AS INT)", "INTEGER", "INT 12" },
        { "CAST(M AS DOUBLE)", "DOUBLE", "DOUBLE 12.34" },
        { "CAST(M AS DECIMAL(5, 3))", "DECIMAL(5, 3)", "DECIMAL 12.340" },
        { "CAST(M AS DECIMAL(3, 1))", "DECIMAL(3, 1)", "DECIMAL 12.3" },
        { "CAST(M AS STRING)", "STRING", "STRING 12.34" },
        { "CAST(SNUM AS INT)", "INTEGER", "INT 42" },
        { "CAST(SNUM AS DECIMAL(4, 1))", "DECIMAL(4, 1)", "DECIMAL 42.0" },
        { "CAST('2020-01-02T03:04:05' AS TIMESTAMP)", "TIMESTAMP", "TIMESTAMP 2020-01-02T03:04:05.000" },
        { "CAST(TS AS DATE)", "DATE", "DATE 2020-01-02" },
        { "CAST(TS AS TIME)", "TIME", "TIME 03:04:05.678" },
        { "CAST(DT AS TIMESTAMP)", "TIMESTAMP", "TIMESTAMP 2020-01-02T00:00:00.000" },
        { "CAST(B AS STRING)", "STRING", "STRING true" },
        { "CAST('TRUE' AS BOOLEAN)", "BOOLEAN", "BOOLEAN true" },
        { "CAST(A AS ARRAY<STRING>)", "ARRAY<STRING>", "[STRING 1, STRING 2, STRING 3]" },
        { "CAST(A AS ARRAY<BIGINT>)", "ARRAY<BIGINT>", "[BIGINT 1, BIGINT 2, BIGINT 3]" },
        { "CAST(MP AS MAP<STRING, BIGINT>)", "MAP<STRING, BIGINT>", "MAP{STRING a=BIGINT 1, STRING b=BIGINT 2}" },
        { "CAST(A AS STRING)", "STRING", "STRING [1, 2, 3]" },
        { "CAST(NULL AS INT)", "INTEGER", "NULL" },
        { "CAST(NULL AS ARRAY<INT>)", "ARRAY<INTEGER>", "NULL" },
        { "CAST(NULL AS STRUCT<F0 INT>)", "STRUCT<`F0` INTEGER>", "NULL" },
        { "CAST(N AS STRING)", "STRING", "NULL" },
        { "CAST(ST->SUB AS PERSON)", "STRUCT<`NAME` STRING, `AGE` INTEGER, `SUB` STRUCT<`X` INTEGER>>", "STRUCT{NAME=NULL, AGE=NULL, SUB=NULL}" },
        { "CAST((I - I2) AS BIGINT)", "BIGINT", "BIGINT 10" },

        // Searched CASE: first true WHEN; without ELSE, NULL.
        { "CASE WHEN I < 5 THEN 'small' WHEN I < 10 THEN 'medium' ELSE 'large' END", "STRING", "STRING medium" },
        { "CASE WHEN I < 5 THEN 'small' END", "STRING", "NULL" },
        { "CASE WHEN N > 2 THEN 'foo' ELSE 'default' END", "STRING", "STRING default" },
        { "CASE WHEN NB THEN 1 ELSE 2 END", "INTEGER", "INT 2" },
        { "CASE WHEN B THEN NULL ELSE 'x' END", "STRING", "NULL" },
        { "CASE WHEN F THEN NULL ELSE 'x' END", "STRING", "STRING x" },
        { "CASE WHEN B THEN I ELSE L END", "BIGINT", "BIGINT 7" },
        { "CASE WHEN B THEN I ELSE 2.5 END", "DECIMAL(11, 1)", "DECIMAL 7.0" },
        { "CASE WHEN B THEN I ELSE D END", "DOUBLE", "DOUBLE 7" },
        { "CASE WHEN F THEN L + 2 END", "BIGINT", "NULL" },
        { "CASE WHEN ST->NAME = 'bob' THEN ST->AGE ELSE 0 END", "INTEGER", "INT 42" },
        { "CASE WHEN B THEN S ELSE 10 END", "STRING", "STRING hello" },

        // Simple CASE compares the operand with each WHEN value.
        { "CASE I WHEN 1 THEN 'one' WHEN 7 THEN 'seven' ELSE 'other' END", "STRING", "STRING seven" },
        { "CASE I WHEN 1 THEN 'one' END", "STRING", "NULL" },
        { "CASE N WHEN 1 THEN 'one' ELSE 'none' END", "STRING", "STRING none" },
        { "CASE S WHEN 'hello' THEN 1 ELSE 0 END", "INTEGER", "INT 1" },
        { "CASE L WHEN 10000000000 THEN true END", "BOOLEAN", "BOOLEAN true" },

        // Constructors: the element types are the common type of the elements.
        { "ARRAY[1, 2, 3]", "ARRAY<INTEGER>", "[INT 1, INT 2, INT 3]" },
        { "ARRAY[I, L]", "ARRAY<BIGINT>", "[BIGINT 7, BIGINT 10000000000]" },
        { "ARRAY[NULL, 10, '2e1', I, L]", "ARRAY<DECIMAL(19, 0)>", "[NULL, DECIMAL 10, DECIMAL 20, DECIMAL 7, DECIMAL 10000000000]" },
        { "ARRAY[1, 2.5]", "ARRAY<DECIMAL(11, 1)>", "[DECIMAL 1.0, DECIMAL 2.5]" },
        { "ARRAY['a', 1, true]", "ARRAY<STRING>", "[STRING a, STRING 1, STRING true]" },
        { "ARRAY[S, NS]", "ARRAY<STRING>", "[STRING hello, NULL]" },
        { "ARRAY[ARRAY[1], ARRAY[2, 3]]", "ARRAY<ARRAY<INTEGER>>", "[[INT 1], [INT 2, INT 3]]" },
        { "ARRAY[NULL, STRUCT(X := I, Y := L), STRUCT(Y := I, Z := L)]", "ARRAY<STRUCT<`X` INTEGER, `Y` BIGINT, `Z` BIGINT>>", "[NULL, STRUCT{X=INT 7, Y=BIGINT 10000000000, Z=NULL}, STRUCT{X=NULL, Y=BIGINT 7, Z=BIGINT 10000000000}]" },
        { "ARRAY[TS, '2020-01-01']", "ARRAY<TIMESTAMP>", "[TIMESTAMP 2020-01-02T03:04:05.678, TIMESTAMP 2020-01-01T00:00:00.000]" },
        { "MAP('a' := 1, 'b' := 2)", "MAP<STRING, INTEGER>", "MAP{STRING a=INT 1, STRING b=INT 2}" },
        { "MAP(1 := S, 2 := NS)", "MAP<INTEGER, STRING>", "MAP{INT 1=STRING hello, INT 2=NULL}" },
        { "MAP(S := I, S2 := L)", "MAP<STRING, BIGINT>", "MAP{STRING hello=BIGINT 7, STRING World=BIGINT 10000000000}" },
        { "MAP('a' := 1, 'a' := 2)", "MAP<STRING, INTEGER>", "MAP{STRING a=INT 2}" },
        { "MAP(NS := 1, 'k' := 2)", "MAP<STRING, INTEGER>", "MAP{STRING null=INT 1, STRING k=INT 2}" },
        { "MAP(N := 1, 2 := 2)", "MAP<INTEGER, INTEGER>", "MAP{INT 2=INT 2}" },
        { "STRUCT(A := I, B := 'x')", "STRUCT<`A` INTEGER, `B` STRING>", "STRUCT{A=INT 7, B=STRING x}" },
        { "STRUCT(`a` := 1)", "STRUCT<`a` INTEGER>", "STRUCT{a=INT 1}" },
        { "STRUCT(A := CAST(NULL AS BIGINT))", "STRUCT<`A` BIGINT>", "STRUCT{A=NULL}" },
        { "STRUCT(N := STRUCT(X := 1))->N->X", "INTEGER", "INT 1" },

        // Subscripts: arrays 1-based, negative from the end, NULL out of range; maps by key.
        { "A[1]", "INTEGER", "INT 1" },
        { "A[3]", "INTEGER", "INT 3" },
        { "A[-1]", "INTEGER", "INT 3" },
        { "A[-3]", "INTEGER", "INT 1" },
        { "A[0]", "INTEGER", "NULL" },
        { "A[4]", "INTEGER", "NULL" },
        { "A[-4]", "INTEGER", "NULL" },
        { "A[N]", "INTEGER", "NULL" },
        { "A[I - 5]", "INTEGER", "INT 2" },
        { "SA[2]", "STRING", "NULL" },
        { "AA[1][2]", "INTEGER", "INT 1" },
        { "AA[2][2]", "INTEGER", "NULL" },
        { "NA[1]", "INTEGER", "NULL" },
        { "ARRAY[10, 20][2]", "INTEGER", "INT 20" },
        { "MP['a']", "INTEGER", "INT 1" },
        { "MP['missing']", "INTEGER", "NULL" },
        { "MP[NS]", "INTEGER", "NULL" },
        { "NMP['a']", "INTEGER", "NULL" },
        { "MI[2]", "STRING", "STRING two" },
        { "MAP('k' := ARRAY[1, 2])['k'][2]", "INTEGER", "INT 2" },

        // Struct fields; NULL structs give NULL.
        { "ST->NAME", "STRING", "STRING bob" },
        { "ST->AGE + 1", "INTEGER", "INT 43" },
        { "ST->SUB->X", "INTEGER", "INT 5" },
        { "T.ST->SUB->X", "INTEGER", "INT 5" },
        { "STN->SUB->X", "INTEGER", "NULL" },
        { "NST->NAME", "STRING", "NULL" },
        { "NST->SUB->X", "INTEGER", "NULL" },
        { "ARRAY[ST][1]->NAME", "STRING", "STRING bob" },

        // Functions with implicit argument conversion and NULL handling.
        { "ABS(I2)", "INTEGER", "INT 3" },
        { "ABS(M)", "DECIMAL(4, 2)", "DECIMAL 12.34" },
        { "LEN(S)", "INTEGER", "INT 5" },
        { "UCASE(S)", "STRING", "STRING HELLO" },
        { "SUBSTRING(S, 2, 3)", "STRING", "STRING ell" },
        { "SUBSTRING(NS, 2)", "STRING", "NULL" },
        { "COALESCE(N, I)", "INTEGER", "INT 7" },
        { "COALESCE(N, L, I)", "BIGINT", "BIGINT 10000000000" },
        { "COALESCE(NS, 'x')", "STRING", "STRING x" },
        { "COALESCE(NA, ARRAY[10, 20])", "ARRAY<INTEGER>", "[INT 10, INT 20]" },
        { "IFNULL(N, 10)", "INTEGER", "INT 10" },
        { "IFNULL(MP['missing'], -1)", "INTEGER", "INT -1" },
        { "IFNULL(AA[1][2], -1)", "INTEGER", "INT 1" },
        { "NULLIF(I, 7)", "INTEGER", "NULL" },
        { "ARRAY_LENGTH(A)", "INTEGER", "INT 3" },
        { "ARRAY_CONTAINS(A, 2)", "BOOLEAN", "BOOLEAN true" },
        { "ARRAY_MAX(A)", "INTEGER", "INT 3" },
        { "GREATEST(I, 10)", "INTEGER", "INT 10" },
        { "ROUND(M)", "DECIMAL(3, 0)", "DECIMAL 12" },
        { "CONCAT(S, ' ', S2)", "STRING", "STRING hello World" },
        { "TIMESTAMPTOSTRING(ROWTIME, 'yyyy-MM-dd')", "STRING", "STRING 2020-01-02" },
        { "DATEADD(DAYS, 1, DT)", "DATE", "DATE 2020-01-03" },
        { "TIMESTAMPADD(SECONDS, 5, TS)", "TIMESTAMP", "TIMESTAMP 2020-01-02T03:04:10.678" },
        { "UNIX_TIMESTAMP()", "BIGINT", "BIGINT 1709210096789" },
        { "LEAST(DT, '2019-06-14')", "DATE", "DATE 2019-06-14" },
        { "SPLIT(S, 'l')", "ARRAY<STRING>", "[STRING he, STRING , STRING o]" },
        { "ENTRIES(MAP('a' := 1), true)[1]->K", "STRING", "STRING a" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates(string sql, string type, string expected)
    {
        var bound = Bind(sql);
        Assert.Equal(type, bound.Type!.ToString());
        Assert.Equal(expected, Describe(ExpressionCompiler.Compile(bound)(Row)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProjectionAgreesWithSingleExpression(string sql, string type, string expected)
    {
        _ = type;
        var projection = ExpressionCompiler.CompileProjection([Bind("I"), Bind(sql), Bind("S")]);
        var output = projection(Row);
        Assert.Equal(3, output.Length);
        Assert.Equal(7, output[0]);
        Assert.Equal(expected, Describe(output[1]));
        Assert.Equal("hello", output[2]);
    }

    [Theory]
    [InlineData("CAST(S AS ARRAY<INTEGER>)", "Cast of STRING to ARRAY<INTEGER> is not supported")]
    [InlineData("CAST(S AS MAP<VARCHAR, INTEGER>)", "Cast of STRING to MAP<STRING, INTEGER> is not supported")]
    [InlineData("CAST(S AS STRUCT<F0 VARCHAR, F1 INTEGER>)", "Cast of STRING to STRUCT<`F0` STRING, `F1` INTEGER> is not supported")]
    [InlineData("CAST(BT AS INT)", "Cast of BYTES to INTEGER is not supported")]
    [InlineData("CAST(I AS DECIMAL(2, 3))", "DECIMAL precision must be >= scale")]
    [InlineData("CAST(I AS DECIMAL(39, 3))", "DECIMAL precision must be <= 38")]
    [InlineData("CAST(I AS NOPE)", "Unknown type 'NOPE'")]
    [InlineData("CASE WHEN I < 2 THEN NULL ELSE NULL END", "Invalid Case expression. All case branches have NULL type")]
    [InlineData("CASE WHEN I < 2 THEN 'a' ELSE ARRAY[1] END", "Invalid Case expression. Type for all 'THEN' clauses should be the same.")]
    [InlineData("CASE WHEN I THEN 1 END", "WHEN operand must be of type BOOLEAN")]
    [InlineData("ARRAY[1, 'not a number']", "invalid input syntax for type INTEGER: \"not a number\"")]
    [InlineData("ARRAY[1, S]", "invalid input syntax for type INTEGER: S (STRING) does not match")]
    [InlineData("MAP(S := I, S2 := 'hello')", "invalid input syntax for type INTEGER: \"hello\".")]
    [InlineData("MAP(S := NULL, S2 := NULL)", "Cannot construct a map with all NULL values")]
    [InlineData("MAP(NULL := I)", "Cannot construct a map with all NULL keys")]
    [InlineData("STRUCT(A := 1, A := 2)", "Duplicate field names found in STRUCT")]
    [InlineData("STRUCT(A := NULL)", "Can't infer a type of null.")]
    [InlineData("ST->NOPE", "Could not find field 'NOPE' in 'ST'")]
    [InlineData("ST->`name`", "Could not find field 'name' in 'ST'")]
    [InlineData("I->X", "Can't dereference I->X: I is INTEGER, not a STRUCT.")]
    [InlineData("S[1]", "Subscripts are only supported on ARRAY and MAP values")]
    [InlineData("A['x']", "Array index must be an INTEGER")]
    [InlineData("MP[I]", "Map key I (INTEGER) does not match the map's key type STRING.")]
    [InlineData("NOPE(1)", "Can't find any functions with the name 'NOPE'")]
    [InlineData("COALESCE()", "Function 'COALESCE' does not accept parameters ()")]
    [InlineData("SUBSTRING(I, 1)", "Function 'substring' does not accept parameters (INTEGER, INTEGER).")]
    [InlineData("EXPLODE(A)", "Table functions can only be used in the SELECT list")]
    [InlineData("DATEADD(DAYS, 1, TS)", "Function 'dateadd' does not accept parameters (INTERVALUNIT, INTEGER, TIMESTAMP).")]
    public void BindErrors(string sql, string message) => Assert.StartsWith(message, BindError(sql));

    [Fact]
    public void EmptyConstructorsAreErrors()
    {
        // The parser accepts ARRAY[] and MAP(); the binder rejects them with ksqlDB's messages.
        var array = Assert.Throws<Binding.SqlBindingException>(() => Binder.Bind(new Ast.CreateArrayExpression([]), Scope));
        Assert.Equal(
            "Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).",
            array.Message);
        var map = Assert.Throws<Binding.SqlBindingException>(() => Binder.Bind(new Ast.CreateMapExpression([]), Scope));
        Assert.Equal(
            "Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).",
            map.Message);
    }
}
