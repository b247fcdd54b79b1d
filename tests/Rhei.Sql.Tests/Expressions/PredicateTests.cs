using Rhei.Formats.Types;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Parsing;
using static Rhei.Sql.Tests.Expressions.ExpressionTestKit;

namespace Rhei.Sql.Tests.Expressions;

/// <summary>Comparisons, logic, IS NULL, BETWEEN, LIKE and IN: values as SELECT expressions and as WHERE conditions.</summary>
public class PredicateTests
{
    public static TheoryData<string, string> Cases => new()
    {
        // Numbers compare by value across types.
        { "I = 7", "BOOLEAN true" },
        { "I <> 7", "BOOLEAN false" },
        { "I != 8", "BOOLEAN true" },
        { "I < 8", "BOOLEAN true" },
        { "I <= 7", "BOOLEAN true" },
        { "I > 7", "BOOLEAN false" },
        { "I >= 8", "BOOLEAN false" },
        { "I = 7.0", "BOOLEAN true" },
        { "I < L", "BOOLEAN true" },
        { "L > I", "BOOLEAN true" },
        { "D > 2", "BOOLEAN true" },
        { "D = 2.5", "BOOLEAN true" },
        { "D > 0.1", "BOOLEAN true" },
        { "M = 12.34", "BOOLEAN true" },
        { "M = 12.340", "BOOLEAN true" },
        { "M < 12.341", "BOOLEAN true" },
        { "M < M2", "BOOLEAN false" },
        { "M > 12", "BOOLEAN true" },
        { "M < D", "BOOLEAN false" },
        { "L2 % 123 = 0", "BOOLEAN true" },
        { "L % 123 = 0", "BOOLEAN false" },
        { "10 + 4 > 11 - 2", "BOOLEAN true" },

        // Strings compare as Java does (UTF-16 code units: upper case before lower case).
        { "S = 'hello'", "BOOLEAN true" },
        { "S = 'Hello'", "BOOLEAN false" },
        { "S <> 'foo'", "BOOLEAN true" },
        { "S > S2", "BOOLEAN true" },
        { "S2 < 'a'", "BOOLEAN true" },
        { "S < 'hello!'", "BOOLEAN true" },
        { "'' < S", "BOOLEAN true" },

        // Booleans, bytes, temporal types.
        { "B = true", "BOOLEAN true" },
        { "B <> F", "BOOLEAN true" },
        { "BT = BT", "BOOLEAN true" },
        { "BT < BT2", "BOOLEAN false" },
        { "BT > BT2", "BOOLEAN true" },
        { "TS = TS", "BOOLEAN true" },
        { "TS > '2020-01-01'", "BOOLEAN true" },
        { "TS < '2020-01-02T03:04:05.679'", "BOOLEAN true" },
        { "TS = '2020-01-02T03:04:05.678Z'", "BOOLEAN true" },
        { "TS = '2020-01-02T05:04:05.678+0200'", "BOOLEAN true" },
        { "'2020-01-01' < TS", "BOOLEAN true" },
        { "DT = '2020-01-02'", "BOOLEAN true" },
        { "DT < TS", "BOOLEAN true" },
        { "DT > '2019-12-31'", "BOOLEAN true" },
        { "TM > '00:00:00.010'", "BOOLEAN true" },
        { "TM = '03:04:05'", "BOOLEAN true" },
        
        // ROWTIME is BIGINT milliseconds but compares with timestamp text.
        { "ROWTIME > '2020-01-01'", "BOOLEAN true" },
        { "ROWTIME = '2020-01-02T03:04:05.678'", "BOOLEAN true" },
        { "ROWTIME >= '2020-01-02T03:04:05.679'", "BOOLEAN false" },
        { "ROWTIME BETWEEN '2020-01-01' AND '2020-01-03'", "BOOLEAN true" },

        // Collections and structs: equality only, by content.
        { "A = ARRAY[1, 2, 3]", "BOOLEAN true" },
        { "A <> ARRAY[1, 2]", "BOOLEAN true" },
        { "A = AL", "BOOLEAN false" },
        { "AL = ARRAY[1, 2]", "BOOLEAN true" },
        { "MP = MAP('a' := 1, 'b' := 2)", "BOOLEAN true" },
        { "MP = MAP('b' := 2, 'a' := 1)", "BOOLEAN true" },
        { "MP <> MAP('a' := 1)", "BOOLEAN true" },
        { "ST = ST", "BOOLEAN true" },
        { "ST->SUB = STRUCT(X := 5)", "BOOLEAN true" },
        { "ST->SUB <> STRUCT(X := 6)", "BOOLEAN true" },

        // A comparison with a NULL operand is false (as in ksqlDB), so its negation is true.
        { "N = 1", "BOOLEAN false" },
        { "N <> 1", "BOOLEAN false" },
        { "N < 1", "BOOLEAN false" },
        { "I = N", "BOOLEAN false" },
        { "NOT (N = 1)", "BOOLEAN true" },
        { "NS = 'x'", "BOOLEAN false" },
        { "NA = A", "BOOLEAN false" },
        { "NTS > '2020-01-01'", "BOOLEAN false" },

        // IS [NOT] DISTINCT FROM is null-safe.
        { "I IS DISTINCT FROM 1", "BOOLEAN true" },
        { "I IS NOT DISTINCT FROM 7", "BOOLEAN true" },
        { "N IS NOT DISTINCT FROM N", "BOOLEAN true" },
        { "N IS DISTINCT FROM 1", "BOOLEAN true" },
        { "N IS NOT DISTINCT FROM 1", "BOOLEAN false" },
        { "N IS DISTINCT FROM NULL", "BOOLEAN false" },
        { "I IS DISTINCT FROM NULL", "BOOLEAN true" },
        { "NS IS NOT DISTINCT FROM NULL", "BOOLEAN true" },
        { "A IS NOT DISTINCT FROM ARRAY[1, 2, 3]", "BOOLEAN true" },
        { "NA IS DISTINCT FROM A", "BOOLEAN true" },
        { "ST IS NOT DISTINCT FROM ST", "BOOLEAN true" },

        // Three-valued AND / OR / NOT.
        { "B AND F", "BOOLEAN false" },
        { "B OR F", "BOOLEAN true" },
        { "B AND NB", "NULL" },
        { "F AND NB", "BOOLEAN false" },
        { "NB AND F", "BOOLEAN false" },
        { "B OR NB", "BOOLEAN true" },
        { "NB OR B", "BOOLEAN true" },
        { "F OR NB", "NULL" },
        { "NB OR NB", "NULL" },
        { "NOT B", "BOOLEAN false" },
        { "NOT NB", "NULL" },
        { "NOT false AND NOT false", "BOOLEAN true" },
        { "NOT 4 > 11", "BOOLEAN true" },
        { "B AND NULL", "NULL" },
        { "F AND NULL", "BOOLEAN false" },

        // IS [NOT] NULL.
        { "N IS NULL", "BOOLEAN true" },
        { "I IS NULL", "BOOLEAN false" },
        { "I IS NOT NULL", "BOOLEAN true" },
        { "NS IS NOT NULL", "BOOLEAN false" },
        { "NULL IS NULL", "BOOLEAN true" },
        { "(I + N) IS NULL", "BOOLEAN true" },
        { "ST->NAME IS NULL", "BOOLEAN false" },
        { "STN->NAME IS NULL", "BOOLEAN true" },
        { "NST->NAME IS NULL", "BOOLEAN true" },
        { "A[10] IS NULL", "BOOLEAN true" },

        // BETWEEN is inclusive; NULL anywhere gives false.
        { "I BETWEEN 0 AND 7", "BOOLEAN true" },
        { "I BETWEEN 7 AND 10", "BOOLEAN true" },
        { "I BETWEEN 8 AND 10", "BOOLEAN false" },
        { "I NOT BETWEEN 8 AND 10", "BOOLEAN true" },
        { "I NOT BETWEEN 0 AND 10", "BOOLEAN false" },
        { "D BETWEEN 2 AND 3.9", "BOOLEAN true" },
        { "L BETWEEN I AND MAXL", "BOOLEAN true" },
        { "M BETWEEN 12.33 AND 12.35", "BOOLEAN true" },
        { "S BETWEEN 'a' AND 'z'", "BOOLEAN true" },
        { "S BETWEEN 'i' AND 'z'", "BOOLEAN false" },
        { "S BETWEEN SUBSTRING('zh', 2) AND 'i'", "BOOLEAN true" },
        { "TS BETWEEN '2020-01-01' AND '2020-01-03'", "BOOLEAN true" },
        { "1 BETWEEN 0 AND 2 AND 'b' BETWEEN 'a' AND 'c'", "BOOLEAN true" },
        { "N BETWEEN 0 AND 10", "BOOLEAN false" },
        { "I BETWEEN N AND 10", "BOOLEAN false" },
        { "I BETWEEN 0 AND N", "BOOLEAN false" },
        { "N NOT BETWEEN 0 AND 10", "BOOLEAN false" },

        // LIKE: % any run, _ one character, ESCAPE, case-sensitive.
        { "S LIKE 'hello'", "BOOLEAN true" },
        { "S LIKE 'Hello'", "BOOLEAN false" },
        { "S LIKE 'h%'", "BOOLEAN true" },
        { "S LIKE '%o'", "BOOLEAN true" },
        { "S LIKE '%ell%'", "BOOLEAN true" },
        { "S LIKE '%'", "BOOLEAN true" },
        { "S LIKE 'h_llo'", "BOOLEAN true" },
        { "S LIKE 'h_lo'", "BOOLEAN false" },
        { "S LIKE '_%_'", "BOOLEAN true" },
        { "S LIKE 'h%l%o'", "BOOLEAN true" },
        { "S LIKE 'h%x%o'", "BOOLEAN false" },
        { "S NOT LIKE 'h%'", "BOOLEAN false" },
        { "S LIKE SPAT", "BOOLEAN true" },
        { "S2 LIKE SPAT", "BOOLEAN false" },
        { "'50%' LIKE '50!%' ESCAPE '!'", "BOOLEAN true" },
        { "'500' LIKE '50!%' ESCAPE '!'", "BOOLEAN false" },
        { "'a_b' LIKE 'a\\_b' ESCAPE '\\'", "BOOLEAN true" },
        { "'axb' LIKE 'a\\_b' ESCAPE '\\'", "BOOLEAN false" },
        { "'a.b' LIKE 'a.b'", "BOOLEAN true" },
        { "'axb' LIKE 'a.b'", "BOOLEAN false" },
        { "'a\nb' LIKE 'a%b'", "BOOLEAN true" },
        { "'this' LIKE '%hi%' AND true", "BOOLEAN true" },
        { "NS LIKE '%'", "BOOLEAN false" },
        { "S LIKE NS", "BOOLEAN false" },
        { "NS NOT LIKE 'x'", "BOOLEAN false" },

        // IN: the value and the list share one type; string literals coerce.
        { "I IN (1, 7, 9)", "BOOLEAN true" },
        { "I IN (1, 2)", "BOOLEAN false" },
        { "I NOT IN (1, 2)", "BOOLEAN true" },
        { "I NOT IN (7)", "BOOLEAN false" },
        { "I IN (1, 2.0, 7.00)", "BOOLEAN true" },
        { "I IN ('4.000', '7')", "BOOLEAN true" },
        { "I IN (I2, I * 1)", "BOOLEAN true" },
        { "I IN (11, NULL, I2)", "BOOLEAN false" },
        { "I IN (11, NULL, I)", "BOOLEAN true" },
        { "N IN (1, 2)", "BOOLEAN false" },
        { "N IN (N)", "BOOLEAN false" },
        { "L IN (10000000000, 1)", "BOOLEAN true" },
        { "I IN (L, 7)", "BOOLEAN true" },
        { "D IN (1, 2.5)", "BOOLEAN true" },
        { "D IN ('2.5')", "BOOLEAN true" },
        { "M IN (12.34, 1)", "BOOLEAN true" },
        { "M IN (12.340)", "BOOLEAN true" },
        { "S IN ('a', 'hello')", "BOOLEAN true" },
        { "S IN ('a', S2)", "BOOLEAN false" },
        { "SNUM IN (42, true)", "BOOLEAN true" },
        { "'true' IN (true)", "BOOLEAN true" },
        { "'10.30' IN (10.30)", "BOOLEAN true" },
        { "B IN (true, 'tr', 'Y')", "BOOLEAN true" },
        { "F IN ('TrUe', 'yes')", "BOOLEAN false" },
        { "F IN ('no')", "BOOLEAN true" },
        { "A IN (ARRAY[1, 2], ARRAY[1, 2, 3])", "BOOLEAN true" },
        { "AL IN (ARRAY[1, 2], ARRAY['3', null])", "BOOLEAN true" },
        { "A IN (AL)", "BOOLEAN false" },
        { "MP IN (MAP('a' := 1, 'b' := 2))", "BOOLEAN true" },
        { "ST->SUB IN (STRUCT(X := 5))", "BOOLEAN true" },
        { "ST->SUB IN (STRUCT(X := 5, Y := 1))", "BOOLEAN false" },
        { "TS IN ('2020-01-02T03:04:05.678')", "BOOLEAN true" },
        { "DT IN ('2020-01-02', '2020-01-03')", "BOOLEAN true" },
        { "S IN (S)", "BOOLEAN true" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EvaluatesAsValue(string sql, string expected)
    {
        var bound = Bind(sql);
        Assert.Equal("BOOLEAN", bound.Type!.ToString());
        Assert.Equal(expected, Describe(ExpressionCompiler.Compile(bound)(Row)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EvaluatesAsCondition(string sql, string expected)
    {
        var predicate = ExpressionCompiler.CompilePredicate(Binder.BindPredicate(SqlParser.ParseExpression(sql), Scope));
        Assert.Equal(expected == "BOOLEAN true", predicate(Row));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NegatedConditionIsFalseForNull(string sql, string expected)
    {
        // NOT (x) holds exactly when x is FALSE.
        var predicate = ExpressionCompiler.CompilePredicate(Bind($"NOT ({sql})"));
        Assert.Equal(expected == "BOOLEAN false", predicate(Row));
    }

    [Theory]
    [InlineData("A < ARRAY[1]", "Cannot compare A (ARRAY<INTEGER>) to ARRAY[1] (ARRAY<INTEGER>) with LESS_THAN.")]
    [InlineData("ST > ST", "Cannot compare ST (STRUCT<`NAME` STRING, `AGE` INTEGER, `SUB` STRUCT<`X` INTEGER>>) to ST (STRUCT<`NAME` STRING, `AGE` INTEGER, `SUB` STRUCT<`X` INTEGER>>) with GREATER_THAN.")]
    [InlineData("I >= 'not an int'", "Cannot compare I (INTEGER) to 'not an int' (STRING) with GREATER_THAN_OR_EQUAL.")]
    [InlineData("L > '100'", "Cannot compare L (BIGINT) to '100' (STRING) with GREATER_THAN.")]
    [InlineData("I = S", "Cannot compare I (INTEGER) to S (STRING) with EQUAL.")]
    [InlineData("S = 11", "Cannot compare S (STRING) to 11 (INTEGER) with EQUAL.")]
    [InlineData("B < F", "Cannot compare B (BOOLEAN) to F (BOOLEAN) with LESS_THAN.")]
    [InlineData("B = 1", "Cannot compare B (BOOLEAN) to 1 (INTEGER) with EQUAL.")]
    [InlineData("MP < MP", "Cannot compare MP (MAP<STRING, INTEGER>) to MP (MAP<STRING, INTEGER>) with LESS_THAN.")]
    [InlineData("A = MP", "Cannot compare A (ARRAY<INTEGER>) to MP (MAP<STRING, INTEGER>) with EQUAL.")]
    [InlineData("TM = TS", "Cannot compare TM (TIME) to TS (TIMESTAMP) with EQUAL.")]
    [InlineData("NULL <> NULL", "Comparison with NULL not supported: NULL <> NULL")]
    [InlineData("I = NULL", "Comparison with NULL not supported: INTEGER = NULL")]
    [InlineData("S LIKE 1", "Like condition must be between strings")]
    [InlineData("I LIKE '1'", "Like condition must be between strings")]
    [InlineData("I AND B", "AND operand must be of type BOOLEAN")]
    [InlineData("NOT S", "NOT operand must be of type BOOLEAN")]
    [InlineData("B IN (true, 'Not a boolean')", "invalid input syntax for type BOOLEAN: \"Not a boolean\".")]
    [InlineData("B IN (true, S)", "operator does not exist: BOOLEAN = STRING (S)\nHint: You might need to add explicit type casts.")]
    [InlineData("I IN (10, true)", "operator does not exist: INTEGER = BOOLEAN (true)")]
    [InlineData("L IN (10, '10 - not a number')", "invalid input syntax for type BIGINT: \"10 - not a number\".")]
    [InlineData("D IN (10.0, '10.0 - not a number')", "invalid input syntax for type DOUBLE: \"10.0 - not a number\".")]
    [InlineData("M IN (10.0, '10.0 - not a number')", "invalid input syntax for type DECIMAL: \"10.0 - not a number\".")]
    [InlineData("M IN (10, true)", "operator does not exist: DECIMAL(12, 2) = BOOLEAN (true)")]
    [InlineData("D IN (10, S)", "operator does not exist: DOUBLE = STRING (S)")]
    [InlineData("S IN (10, D)", "operator does not exist: STRING = DOUBLE (D)")]
    [InlineData("AL IN (AL, ARRAY[B])", "operator does not exist: ARRAY<BIGINT> = ARRAY<BOOLEAN> (ARRAY[B])")]
    [InlineData("AL IN (AL, ARRAY['10', 'not 10'])", "invalid input syntax for type BIGINT: \"not 10\"")]
    [InlineData("AL IN (ARRAY[1, 2], ARRAY_LENGTH(AL))", "operator does not exist: ARRAY<BIGINT> = INTEGER (ARRAY_LENGTH(AL))")]
    [InlineData("MP IN (10)", "operator does not exist: MAP<STRING, INTEGER> = INTEGER (10)")]
    [InlineData("ST->SUB IN (ARRAY[10])", "operator does not exist: STRUCT<`X` INTEGER> = ARRAY<INTEGER> (ARRAY[10])")]
    [InlineData("ROWTIME > 'not a time'", "Failed to parse timestamp 'not a time'")]
    [InlineData("TS > 'not a time'", "Failed to parse timestamp 'not a time'")]
    public void BindErrors(string sql, string message) => Assert.StartsWith(message, BindError(sql));

    [Theory]
    [InlineData("'not a boolean'", "WHERE", "Type error in WHERE expression: Should evaluate to boolean but is 'not a boolean' (STRING) instead.")]
    [InlineData("RANDOM() + 1.5", "WHERE", "Type error in WHERE expression: Should evaluate to boolean but is (RANDOM() + 1.5) (DOUBLE) instead.")]
    [InlineData("I", "HAVING", "Type error in HAVING expression: Should evaluate to boolean but is I (INTEGER) instead.")]
    public void PredicateMustBeBoolean(string sql, string clause, string message)
    {
        var ex = Assert.Throws<SqlBindingException>(() =>
            Binder.BindPredicate(SqlParser.ParseExpression(sql), Scope, new BindOptions { Clause = clause }));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void NullPredicateIsFalse()
    {
        var predicate = ExpressionCompiler.CompilePredicate(Binder.BindPredicate(SqlParser.ParseExpression("NULL"), Scope));
        Assert.False(predicate(Row));
    }

    [Fact]
    public void RowsWithNullsAndValues()
    {
        // One predicate over several rows, as a WHERE clause sees them.
        var scope = ExpressionScope.Of(("SOURCE", SqlTypes.Integer), ("MIN", SqlTypes.Integer), ("MAX", SqlTypes.Integer));
        var bound = Binder.BindPredicate(SqlParser.ParseExpression("SOURCE BETWEEN MIN AND MAX"), scope);
        var predicate = ExpressionCompiler.CompilePredicate(bound);
        Assert.False(predicate([null, 0, 2]));
        Assert.True(predicate([1, 0, 2]));
        Assert.False(predicate([2, null, 2]));
        Assert.False(predicate([3, 0, null]));
        Assert.False(predicate([4, null, null]));
    }
}
