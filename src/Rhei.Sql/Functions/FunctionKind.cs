namespace Rhei.Sql.Functions;

/// <summary>The three kinds of ksqlDB functions, as <c>SHOW FUNCTIONS</c> prints them.</summary>
public enum FunctionKind
{
    /// <summary>One value in, one value out.</summary>
    Scalar,

    /// <summary>Many rows in, one value out per group (UDAF).</summary>
    Aggregate,

    /// <summary>One row in, zero or more rows out (UDTF).</summary>
    Table,
}

/// <summary>The category names <c>SHOW FUNCTIONS</c> groups functions by (ksqlDB's vocabulary).</summary>
public static class FunctionCategory
{
    public const string Mathematical = "MATHEMATICAL";
    public const string String = "STRING";
    public const string RegularExpression = "REGULAR EXPRESSION";
    public const string Json = "JSON";
    public const string Array = "ARRAY";
    public const string Map = "MAP";
    public const string DateTime = "DATE / TIME";
    public const string Url = "URL";
    public const string Lambda = "LAMBDA";
    public const string Conditional = "CONDITIONAL";
    public const string Conversions = "CONVERSIONS";
    public const string Aggregate = "AGGREGATE";
    public const string Table = "TABLE";
    public const string Other = "OTHER";
}
