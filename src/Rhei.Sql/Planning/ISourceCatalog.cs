using Rhei.Formats.Types;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>What the planner reads from the metastore: sources by name and custom types.</summary>
public interface ISourceCatalog
{
    /// <summary>The stream or table with exactly this name, or null.</summary>
    DataSource? GetSource(string name);

    /// <summary>The type registered with CREATE TYPE under this name, or null.</summary>
    SqlType? GetType(string name);
}
