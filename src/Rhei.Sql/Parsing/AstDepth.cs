using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// The nesting depth of an AST, computed without recursion. The parser rejects statements deeper than
/// <see cref="SqlParserOptions.MaxDepth"/>, so that the code walking ASTs recursively (printing, equality, binding,
/// expression compilation) never runs out of stack. The same tree always gets the same verdict, whatever text it was
/// parsed from, so a printed statement parses back.
/// </summary>
public static class AstDepth
{
    /// <summary>The number of nodes on the longest path from <paramref name="root"/> down (a leaf has depth 1).</summary>
    public static int Of(SqlNode root) => Walk(root, int.MaxValue).Depth;

    /// <exception cref="SqlParseException">The tree is deeper than <paramref name="maxDepth"/>.</exception>
    public static void Check(SqlNode root, int maxDepth)
    {
        var (depth, deepest) = Walk(root, maxDepth);
        if (depth > maxDepth)
        {
            var position = deepest.Position.IsKnown ? deepest.Position : root.Position;
            throw new SqlParseException(
                $"The statement nests expressions deeper than {maxDepth} levels; simplify it (for example, use IN (...) instead of a long chain of OR)",
                position,
                null);
        }
    }

    /// <summary>Depth-first walk with an explicit stack; stops at the first node deeper than <paramref name="limit"/>.</summary>
    private static (int Depth, SqlNode Deepest) Walk(SqlNode root, int limit)
    {
        var stack = new Stack<(SqlNode Node, int Depth)>();
        stack.Push((root, 1));
        var max = 0;
        var deepest = root;
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > max)
            {
                max = depth;
                deepest = node;
                if (depth > limit)
                {
                    break;
                }
            }

            foreach (var child in node.Children)
            {
                stack.Push((child, depth + 1));
            }
        }

        return (max, deepest);
    }
}
