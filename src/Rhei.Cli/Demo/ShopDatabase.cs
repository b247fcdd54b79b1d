using System.Data.Common;
using System.Globalization;

namespace Rhei.Cli.Demo;

/// <summary>
/// The shop's two tables and the inserts into them, written in SQL that SQLite and PostgreSQL both run. Rows are only
/// ever added (a changed profile is a new row), which is what the JDBC source's <c>incrementing</c> mode captures.
/// </summary>
public static class ShopDatabase
{
    /// <summary>The tables: every row has an <c>id</c> numbering it, the column the connector follows.</summary>
    public static readonly IReadOnlyList<string> Schema =
    [
        "CREATE TABLE user_profiles (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, name TEXT NOT NULL, " +
            "country TEXT NOT NULL, updated_at BIGINT NOT NULL)",
        "CREATE TABLE purchases (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, pageid TEXT NOT NULL, " +
            "order_total DECIMAL(10, 2) NOT NULL, viewtime BIGINT NOT NULL)",
    ];

    /// <summary>Creates the tables.</summary>
    public static async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        foreach (var statement in Schema)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Inserts profiles in one transaction.</summary>
    public static async Task InsertAsync(DbConnection connection, IEnumerable<ProfileRow> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var row in rows)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO user_profiles (id, customer_id, name, country, updated_at) VALUES (@id, @customer, @name, @country, @updated)";
            Add(command, "id", row.Id);
            Add(command, "customer", row.CustomerId);
            Add(command, "name", row.Name);
            Add(command, "country", row.Country);
            Add(command, "updated", row.UpdatedAt);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Inserts purchases in one transaction.</summary>
    public static async Task InsertAsync(DbConnection connection, IEnumerable<PurchaseRow> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var row in rows)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // The total goes in as a literal: SQLite's driver would bind a decimal as text, PostgreSQL's as numeric.
            command.CommandText = "INSERT INTO purchases (id, customer_id, pageid, order_total, viewtime) VALUES (@id, @customer, @page, " +
                row.OrderTotal.ToString("0.00", CultureInfo.InvariantCulture) + ", @viewtime)";
            Add(command, "id", row.Id);
            Add(command, "customer", row.CustomerId);
            Add(command, "page", row.PageId);
            Add(command, "viewtime", row.ViewTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
