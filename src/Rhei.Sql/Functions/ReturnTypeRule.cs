using Rhei.Formats.Types;

namespace Rhei.Sql.Functions;

/// <summary>
/// How an overload's return type follows from the bound argument types: fixed
/// (<c>LEN → INTEGER</c>), a pattern over the generics (<c>ARRAY_MAX(ARRAY&lt;T&gt;) → T</c>), or computed
/// (<c>ROUND(DECIMAL(p, s)) → DECIMAL(p - s + 1, 0)</c>). <see cref="Text"/> is what DESCRIBE FUNCTION prints.
/// </summary>
public sealed class ReturnTypeRule
{
    private readonly Func<BoundSignature, SqlType?> _resolve;

    public ReturnTypeRule(string text, Func<BoundSignature, SqlType?> resolve)
    {
        Text = text;
        _resolve = resolve;
    }

    public string Text { get; }

    /// <summary>The return type, or null when it depends on a lambda whose body is not typed yet.</summary>
    public SqlType? Resolve(BoundSignature signature) => _resolve(signature);

    public static ReturnTypeRule Fixed(SqlType type) => new(SqlTypeNames.Format(type), _ => type);

    /// <summary>The pattern instantiated with the bound generics (<c>T</c>, <c>ARRAY&lt;T&gt;</c>, <c>MAP&lt;STRING, T&gt;</c>).</summary>
    public static ReturnTypeRule Pattern(ParamType pattern) => new(pattern.ToString(), b => b.Instantiate(pattern));

    /// <summary>The (coerced) type of argument <paramref name="index"/>: <c>ABS(DECIMAL(p, s)) → DECIMAL(p, s)</c>.</summary>
    public static ReturnTypeRule ArgumentType(int index, string text) => new(text, b => b.TargetTypes[index]);

    public static ReturnTypeRule Computed(string text, Func<BoundSignature, SqlType?> resolve) => new(text, resolve);

    public override string ToString() => Text;
}
