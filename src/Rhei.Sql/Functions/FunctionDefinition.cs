using System.Collections.Immutable;

namespace Rhei.Sql.Functions;

/// <summary>A named function with its overloads, as SHOW FUNCTIONS and DESCRIBE FUNCTION list it.</summary>
public sealed class FunctionDefinition
{
    public FunctionDefinition(string name, FunctionKind kind, string category, string description, IEnumerable<FunctionOverload> overloads, string? messageName = null)
    {
        Name = name.ToUpperInvariant();
        Kind = kind;
        Category = category;
        Description = description;
        MessageName = messageName ?? (kind == FunctionKind.Aggregate ? Name : name.ToLowerInvariant());
        Overloads = [.. overloads];
        foreach (var o in Overloads)
        {
            var ok = kind switch
            {
                FunctionKind.Scalar => o is ScalarOverload and not TableOverload,
                FunctionKind.Table => o is TableOverload,
                FunctionKind.Aggregate => o is AggregateOverload,
                _ => false,
            };
            if (!ok)
            {
                throw new ArgumentException($"{name}: a {kind} function cannot have a {o.GetType().Name}.", nameof(overloads));
            }

            o.Function = this;
        }
    }

    /// <summary>The function name in upper case (how SHOW FUNCTIONS lists it and how calls look it up).</summary>
    public string Name { get; }

    /// <summary>The name as ksqlDB's error messages spell it (<c>'substring'</c>, <c>'COALESCE'</c>).</summary>
    public string MessageName { get; }

    public FunctionKind Kind { get; }

    public string Category { get; }

    public string Description { get; }

    public ImmutableArray<FunctionOverload> Overloads { get; }

    /// <summary>DESCRIBE FUNCTION's type line: SCALAR, AGGREGATE or TABLE.</summary>
    public string TypeText => Kind switch
    {
        FunctionKind.Scalar => "SCALAR",
        FunctionKind.Aggregate => "AGGREGATE",
        _ => "TABLE",
    };

    public override string ToString() => $"{Name} ({TypeText}, {Overloads.Length} overloads)";
}
