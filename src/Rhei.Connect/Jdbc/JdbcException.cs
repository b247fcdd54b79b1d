namespace Rhei.Connect.Jdbc;

/// <summary>
/// The database could not be reached or a statement failed. The message says which database (URL without password),
/// what was being done, and the driver's reason: <c>Could not connect to the database at
/// jdbc:postgresql://127.0.0.1:5432/shop: Failed to connect to 127.0.0.1:5432 (Connection refused)</c>.
/// </summary>
public sealed class JdbcException : Exception
{
    public JdbcException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
