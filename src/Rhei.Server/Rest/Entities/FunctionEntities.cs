namespace Rhei.Server.Rest.Entities;

/// <summary>A function in SHOW FUNCTIONS.</summary>
public sealed record SimpleFunctionInfo(string Name, string Type, string Category);

/// <summary>SHOW FUNCTIONS.</summary>
public sealed record FunctionNameList : KsqlEntity
{
    public IReadOnlyList<SimpleFunctionInfo> Functions { get; init; } = [];
}

/// <summary>A parameter of a function overload.</summary>
public sealed record ArgumentInfo(string Name, string Type, string Description, bool IsVariadic);

/// <summary>One overload of a function.</summary>
public sealed record FunctionInfo(IReadOnlyList<ArgumentInfo> Arguments, string ReturnType, string Description);

/// <summary>DESCRIBE FUNCTION.</summary>
public sealed record FunctionDescriptionList : KsqlEntity
{
    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public string Author { get; init; } = "";

    public string Version { get; init; } = "";

    public string Path { get; init; } = "internal";

    public IReadOnlyList<FunctionInfo> Functions { get; init; } = [];

    /// <summary>SCALAR, AGGREGATE or TABLE.</summary>
    public string Type { get; init; } = "SCALAR";
}
