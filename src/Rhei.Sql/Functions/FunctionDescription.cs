namespace Rhei.Sql.Functions;

/// <summary>
/// What DESCRIBE FUNCTION shows (and the REST API's <c>FunctionDescriptionList</c> carries): name,
/// overview, type, where it comes from, and one variation per overload.
/// </summary>
public sealed record FunctionDescription(
    string Name,
    string Description,
    string Type,
    string Category,
    string Path,
    string Author,
    string Version,
    IReadOnlyList<FunctionVariation> Variations)
{
    /// <summary>Describes a function; built-ins come from <c>internal</c>.</summary>
    public static FunctionDescription Of(FunctionDefinition function, string path = "internal", string author = "", string version = "") =>
        new(
            function.Name,
            function.Description,
            function.TypeText,
            function.Category,
            path,
            author,
            version,
            [.. function.Overloads.Select(o => new FunctionVariation(
                $"{function.Name}({string.Join(", ", o.Parameters.Select(p => p.Name + " " + (p.IsVariadic ? p.Type + "..." : p.Type.ToString())))})",
                [.. o.Parameters.Select(p => new FunctionArgumentDescription(p.Name, p.Type.ToString(), p.Description, p.IsVariadic))],
                o.Returns.Text,
                string.IsNullOrEmpty(o.Description) ? function.Description : o.Description))]);
}

/// <summary>One overload as DESCRIBE FUNCTION lists it: <c>SUBSTRING(str STRING, pos INTEGER)</c> returning <c>STRING</c>.</summary>
public sealed record FunctionVariation(string Signature, IReadOnlyList<FunctionArgumentDescription> Arguments, string ReturnType, string Description);

/// <summary>One parameter of a variation; <see cref="Type"/> is the element type when <see cref="IsVariadic"/>.</summary>
public sealed record FunctionArgumentDescription(string Name, string Type, string Description, bool IsVariadic);
