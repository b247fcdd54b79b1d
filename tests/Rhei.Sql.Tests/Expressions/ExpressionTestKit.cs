using System.Collections;
using System.Globalization;
using Rhei.Formats.Types;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Functions;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Expressions;

/// <summary>
/// A fixed scope of typed columns (source <c>T</c>) and a row of values for it, plus helpers that parse, bind,
/// compile and evaluate expressions the way a query would.
/// </summary>
internal static class ExpressionTestKit
{
    public static readonly DateTimeOffset Now = new(2024, 2, 29, 12, 34, 56, 789, TimeSpan.Zero);

    public static readonly FunctionRegistry Registry = FunctionRegistry.CreateBuiltIn(new FixedClock(Now));

    public static readonly ExpressionBinder Binder = new(Registry, name => name == "PERSON" ? PersonType : null);

    public static readonly SqlStructType InnerType = SqlTypes.Struct(new SqlField("X", SqlTypes.Integer));

    public static readonly SqlStructType PersonType = SqlTypes.Struct(
        new SqlField("NAME", SqlTypes.String), new SqlField("AGE", SqlTypes.Integer), new SqlField("SUB", InnerType));

    /// <summary>The columns: name, type, value in <see cref="Row"/>.</summary>
    public static readonly (string Name, SqlType Type, object? Value)[] Columns =
    [
        ("I", SqlTypes.Integer, 7),
        ("I2", SqlTypes.Integer, -3),
        ("Z", SqlTypes.Integer, 0),
        ("MAXI", SqlTypes.Integer, int.MaxValue),
        ("MINI", SqlTypes.Integer, int.MinValue),
        ("L", SqlTypes.BigInt, 10_000_000_000L),
        ("L2", SqlTypes.BigInt, 123L * 45),
        ("MAXL", SqlTypes.BigInt, long.MaxValue),
        ("MINL", SqlTypes.BigInt, long.MinValue),
        ("D", SqlTypes.Double, 2.5),
        ("D2", SqlTypes.Double, -0.5),
        ("M", SqlTypes.Decimal(4, 2), 12.34m),
        ("M2", SqlTypes.Decimal(5, 3), 1.005m),
        ("S", SqlTypes.String, "hello"),
        ("S2", SqlTypes.String, "World"),
        ("SNUM", SqlTypes.String, "42"),
        ("SPAT", SqlTypes.String, "h%o"),
        ("B", SqlTypes.Boolean, true),
        ("F", SqlTypes.Boolean, false),
        ("A", SqlTypes.Array(SqlTypes.Integer), new List<object?> { 1, 2, 3 }),
        ("AL", SqlTypes.Array(SqlTypes.BigInt), new List<object?> { 1L, 2L }),
        ("SA", SqlTypes.Array(SqlTypes.String), new List<object?> { "a", null, "c" }),
        ("AA", SqlTypes.Array(SqlTypes.Array(SqlTypes.Integer)), new List<object?> { new List<object?> { 0, 1 }, new List<object?> { 2 } }),
        ("MP", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), new Dictionary<object, object?> { ["a"] = 1, ["b"] = 2 }),
        ("MI", SqlTypes.Map(SqlTypes.Integer, SqlTypes.String), new Dictionary<object, object?> { [1] = "one", [2] = "two" }),
        ("ST", PersonType, new SqlStruct(PersonType, ["bob", 42, new SqlStruct(InnerType, [5])])),
        ("STN", PersonType, new SqlStruct(PersonType, [null, null, null])),
        ("TS", SqlTypes.Timestamp, new DateTime(2020, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc)),
        ("DT", SqlTypes.Date, new DateOnly(2020, 1, 2)),
        ("TM", SqlTypes.Time, new TimeOnly(3, 4, 5)),
        ("BT", SqlTypes.Bytes, new byte[] { 1, 2, 3 }),
        ("BT2", SqlTypes.Bytes, new byte[] { 1, 2, 0x80 }),
        ("N", SqlTypes.Integer, null),
        ("NL", SqlTypes.BigInt, null),
        ("ND", SqlTypes.Double, null),
        ("NM", SqlTypes.Decimal(4, 2), null),
        ("NS", SqlTypes.String, null),
        ("NB", SqlTypes.Boolean, null),
        ("NA", SqlTypes.Array(SqlTypes.Integer), null),
        ("NMP", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), null),
        ("NST", PersonType, null),
        ("NTS", SqlTypes.Timestamp, null),
        ("ROWTIME", SqlTypes.BigInt, 1_577_934_245_678L),
    ];

    public static readonly ExpressionScope Scope = new(
        Columns.Select((c, i) => new ScopeColumn(c.Name, c.Type, i, "T")));

    /// <summary>The row of <see cref="Columns"/>' values (copied so tests cannot change it).</summary>
    public static object?[] Row => [.. Columns.Select(c => c.Value)];

    public static BoundExpression Bind(string sql, BindOptions? options = null) =>
        Binder.Bind(SqlParser.ParseExpression(sql), Scope, options);

    /// <summary>Binds, compiles and evaluates over <see cref="Row"/>; exceptions propagate.</summary>
    public static object? Eval(string sql) => ExpressionCompiler.Compile(Bind(sql))(Row);

    /// <summary>The bind error message for an expression (fails when it binds).</summary>
    public static string BindError(string sql, BindOptions? options = null) =>
        Assert.Throws<SqlBindingException>(() => Bind(sql, options)).Message;

    /// <summary>A value with its CLR type, for exact comparisons: <c>INT 14</c>, <c>BIGINT 14</c>, <c>DECIMAL 1.50</c>.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "NULL",
        int i => "INT " + i.ToString(CultureInfo.InvariantCulture),
        long l => "BIGINT " + l.ToString(CultureInfo.InvariantCulture),
        double d => "DOUBLE " + d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => "DECIMAL " + m.ToString(CultureInfo.InvariantCulture),
        string s => "STRING " + s,
        bool b => "BOOLEAN " + (b ? "true" : "false"),
        byte[] bytes => "BYTES " + Convert.ToHexString(bytes),
        DateTime ts => "TIMESTAMP " + ts.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateOnly d => "DATE " + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => "TIME " + t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
        SqlStruct s => "STRUCT{" + string.Join(", ", s.Type.Fields.Select((f, i) => f.Name + "=" + Describe(s[i]))) + "}",
        IDictionary map => "MAP{" + string.Join(", ", map.Keys.Cast<object>().Select(k => Describe(k) + "=" + Describe(map[k]))) + "}",
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Describe)) + "]",
        _ => value.GetType().Name + " " + value,
    };

    public static List<object?> L(params object?[] items) => [.. items];

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
