using static Rhei.Sql.Tests.Expressions.ExpressionTestKit;

namespace Rhei.Sql.Tests.Expressions;

/// <summary>Arithmetic: result types (numeric widening, ksqlDB's DECIMAL precision/scale rules), Java integer
/// semantics, DOUBLE IEEE behaviour, NULL propagation, string concatenation.</summary>
public class ArithmeticTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // Integers: INT op INT is INT, with BIGINT it is BIGINT.
        { "I + 1", "INTEGER", "INT 8" },
        { "I - 10", "INTEGER", "INT -3" },
        { "I * I2", "INTEGER", "INT -21" },
        { "I / 2", "INTEGER", "INT 3" },
        { "I2 / 2", "INTEGER", "INT -1" },
        { "I % 4", "INTEGER", "INT 3" },
        { "I2 % 2", "INTEGER", "INT -1" },
        { "-7 % 3", "INTEGER", "INT -1" },
        { "7 % -3", "INTEGER", "INT 1" },
        { "L + 1", "BIGINT", "BIGINT 10000000001" },
        { "I + L", "BIGINT", "BIGINT 10000000007" },
        { "L * 3", "BIGINT", "BIGINT 30000000000" },
        { "L / I", "BIGINT", "BIGINT 1428571428" },
        { "L2 % 123", "BIGINT", "BIGINT 0" },
        { "L % 7", "BIGINT", "BIGINT 4" },
        { "12 * 4 + 2", "INTEGER", "INT 50" },
        { "2 * 3 + 4", "INTEGER", "INT 10" },
        { "6 / 3 - 4", "INTEGER", "INT -2" },
        { "6 % 4 / 2 * 6", "INTEGER", "INT 6" },
        { "6 / 2 % 2 * 2", "INTEGER", "INT 2" },
        { "10 - 2 + 5", "INTEGER", "INT 13" },
        { "-I", "INTEGER", "INT -7" },
        { "+I", "INTEGER", "INT 7" },
        { "- -I", "INTEGER", "INT 7" },
        { "-L", "BIGINT", "BIGINT -10000000000" },

        // Overflow wraps as in Java.
        { "MAXI + 1", "INTEGER", "INT -2147483648" },
        { "MINI - 1", "INTEGER", "INT 2147483647" },
        { "MAXI * 2", "INTEGER", "INT -2" },
        { "-MINI", "INTEGER", "INT -2147483648" },
        { "MINI / -1", "INTEGER", "INT -2147483648" },
        { "MINI % -1", "INTEGER", "INT 0" },
        { "MAXL + 1", "BIGINT", "BIGINT -9223372036854775808" },
        { "MINL / -1", "BIGINT", "BIGINT -9223372036854775808" },
        { "MINL % -1", "BIGINT", "BIGINT 0" },
        { "2147483647 + 1", "INTEGER", "INT -2147483648" },
        { "2147483648 + 1", "BIGINT", "BIGINT 2147483649" },

        // DOUBLE wins.
        { "D + 1", "DOUBLE", "DOUBLE 3.5" },
        { "I + D", "DOUBLE", "DOUBLE 9.5" },
        { "L * D", "DOUBLE", "DOUBLE 25000000000" },
        { "D / 2", "DOUBLE", "DOUBLE 1.25" },
        { "D % 1", "DOUBLE", "DOUBLE 0.5" },
        { "-D2", "DOUBLE", "DOUBLE 0.5" },
        { "D + 1.5", "DOUBLE", "DOUBLE 4" },
        { "M + D", "DOUBLE", "DOUBLE 14.84" },
        { "D / 0", "DOUBLE", "DOUBLE Infinity" },
        { "D2 / 0", "DOUBLE", "DOUBLE -Infinity" },
        { "(D - D) / 0", "DOUBLE", "DOUBLE NaN" },
        { "D % 0", "DOUBLE", "DOUBLE NaN" },
        { "1e300 * 1e300", "DOUBLE", "DOUBLE Infinity" },
        { "1.5E0 + 1", "DOUBLE", "DOUBLE 2.5" },

        // DECIMAL: INT counts as DECIMAL(10, 0), BIGINT as DECIMAL(19, 0).
        { "M + M", "DECIMAL(5, 2)", "DECIMAL 24.68" },
        { "M - M2", "DECIMAL(6, 3)", "DECIMAL 11.335" },
        { "M * M2", "DECIMAL(10, 5)", "DECIMAL 12.40170" },
        { "M / M2", "DECIMAL(13, 8)", "DECIMAL 12.27860697" },
        { "M % M2", "DECIMAL(5, 3)", "DECIMAL 0.280" },
        { "M + I", "DECIMAL(13, 2)", "DECIMAL 19.34" },
        { "M + L", "DECIMAL(22, 2)", "DECIMAL 10000000012.34" },
        { "M * 2", "DECIMAL(15, 2)", "DECIMAL 24.68" },
        { "M / 3", "DECIMAL(15, 13)", "DECIMAL 4.1133333333333" },
        { "2 / M", "DECIMAL(18, 6)", "DECIMAL 0.162075" },
        { "M * 0.5", "DECIMAL(7, 3)", "DECIMAL 6.170" },
        { "1.5 + 2.25", "DECIMAL(4, 2)", "DECIMAL 3.75" },
        { "0.908 * L2", "DECIMAL(24, 3)", "DECIMAL 5025.780" },
        { "10.01 + 5.1", "DECIMAL(5, 2)", "DECIMAL 15.11" },
        { "10.1 - 5.1", "DECIMAL(4, 1)", "DECIMAL 5.0" },
        { "10.1 * 2.0", "DECIMAL(6, 2)", "DECIMAL 20.20" },
        { "10.1 % 2.0", "DECIMAL(2, 1)", "DECIMAL 0.1" },
        { "10.1 % -2.0", "DECIMAL(2, 1)", "DECIMAL 0.1" },
        { "-10.1 % 2.0", "DECIMAL(2, 1)", "DECIMAL -0.1" },
        { "1.0 / 3.0", "DECIMAL(8, 6)", "DECIMAL 0.333333" },
        { "2.0 / 3.0", "DECIMAL(8, 6)", "DECIMAL 0.666667" },
        { "-M", "DECIMAL(4, 2)", "DECIMAL -12.34" },
        { "0.05 + 0.05", "DECIMAL(4, 2)", "DECIMAL 0.10" },

        // Strings: + concatenates.
        { "S + S2", "STRING", "STRING helloWorld" },
        { "S + ' ' + S2", "STRING", "STRING hello World" },
        { "'a' + 'b'", "STRING", "STRING ab" },
        { "S || '!'", "STRING", "STRING hello!" },
        { "CONCAT(S, NS, '!')", "STRING", "STRING hello!" },

        // NULL propagates.
        { "I + N", "INTEGER", "NULL" },
        { "N * 2", "INTEGER", "NULL" },
        { "N / 0", "INTEGER", "NULL" },
        { "NL % 2", "BIGINT", "NULL" },
        { "ND + 1", "DOUBLE", "NULL" },
        { "NM + M", "DECIMAL(5, 2)", "NULL" },
        { "-N", "INTEGER", "NULL" },
        { "S + NS", "STRING", "NULL" },
        { "CAST(NULL AS INT) + 1", "INTEGER", "NULL" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates(string sql, string type, string expected)
    {
        var bound = Bind(sql);
        Assert.Equal(type, bound.Type!.ToString());
        Assert.Equal(expected, Describe(Compilation.ExpressionCompiler.Compile(bound)(Row)));
    }

    [Theory]
    [InlineData("I / Z", "/ by zero")]
    [InlineData("I % Z", "/ by zero")]
    [InlineData("L / 0", "/ by zero")]
    [InlineData("M / 0", "Division by zero")]
    [InlineData("M % 0.0", "Division by zero")]
    public void DivisionByZeroFails(string sql, string message)
    {
        var ex = Assert.Throws<ArithmeticException>(() => Eval(sql));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("1 + null", "Error processing expression: (1 + null). Arithmetic on types INTEGER and null are not supported.")]
    [InlineData("5.0 / null", "Error processing expression: (5.0 / null). Arithmetic on types DECIMAL(2, 1) and null are not supported.")]
    [InlineData("null * null", "Error processing expression: (null * null). Arithmetic on types null and null are not supported.")]
    [InlineData("ARRAY[1, 2, 3] + null", "Error processing expression: (ARRAY[1, 2, 3] + null). Arithmetic on types ARRAY<INTEGER> and null are not supported.")]
    [InlineData("MAP(1:='cat') + null", "Error processing expression: (MAP(1:='cat') + null). Arithmetic on types MAP<INTEGER, STRING> and null are not supported.")]
    [InlineData("true + 1.5", "Error processing expression: (true + 1.5). Unsupported arithmetic types. BOOLEAN DECIMAL")]
    [InlineData("S - 1", "Error processing expression: (S - 1). Unsupported arithmetic types. STRING INTEGER")]
    [InlineData("S * S2", "Error processing expression: (S * S2). Unsupported arithmetic types. STRING STRING")]
    [InlineData("A + A", "Error processing expression: (A + A). Unsupported arithmetic types. ARRAY ARRAY")]
    [InlineData("TS + 1", "Error processing expression: (TS + 1). Unsupported arithmetic types. TIMESTAMP INTEGER")]
    public void BindErrors(string sql, string message) => Assert.Equal(message, BindError(sql));
}
