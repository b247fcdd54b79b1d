namespace Rhei.Sql.Ast;

/// <summary>A SQL statement. <see cref="SqlNode.ToSql"/> prints it without the terminating semicolon.</summary>
public abstract record Statement : SqlNode;
