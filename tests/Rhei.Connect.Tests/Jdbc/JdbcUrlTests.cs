using Npgsql;
using Rhei.Connect.Config;
using Rhei.Connect.Jdbc;

namespace Rhei.Connect.Tests.Jdbc;

public sealed class JdbcUrlTests
{
    [Fact]
    public void Postgres_jdbc_urls_become_npgsql_connection_strings()
    {
        var url = JdbcUrl.Parse("jdbc:postgresql://db.local:6543/shop?user=ann&password=s%40cret&currentSchema=sales&sslmode=disable");
        Assert.Equal(JdbcDatabase.PostgreSql, url.Database);
        var b = new NpgsqlConnectionStringBuilder(url.ConnectionString);
        Assert.Equal(("db.local", 6543, "shop", "ann", "s@cret", "sales", SslMode.Disable), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SearchPath, b.SslMode));
        Assert.Equal("jdbc:postgresql://db.local:6543/shop", url.Display);
        Assert.DoesNotContain("cret", url.Display);
    }

    [Fact]
    public void User_and_password_properties_override_the_url()
    {
        var url = JdbcUrl.Parse("postgresql://ann:x@localhost/shop", "bob", "y");
        var b = new NpgsqlConnectionStringBuilder(url.ConnectionString);
        Assert.Equal(("localhost", 5432, "bob", "y"), (b.Host, b.Port, b.Username, b.Password));
    }

    [Fact]
    public void Native_connection_strings_and_sqlite_urls_are_accepted()
    {
        Assert.Equal(JdbcDatabase.PostgreSql, JdbcUrl.Parse("Host=localhost;Database=x;Username=u").Database);
        var sqlite = JdbcUrl.Parse("jdbc:sqlite:/var/data/app.db");
        Assert.Equal(JdbcDatabase.Sqlite, sqlite.Database);
        Assert.Contains("/var/data/app.db", sqlite.ConnectionString);
        Assert.Equal(JdbcDatabase.Sqlite, JdbcUrl.Parse("Data Source=app.db;Mode=ReadOnly").Database);
        Assert.Equal(JdbcDatabase.Sqlite, JdbcUrl.Parse("jdbc:sqlite::memory:").Database);
    }

    [Fact]
    public void Other_databases_and_garbage_are_refused_without_showing_passwords()
    {
        var e = Assert.Throws<ConnectorConfigException>(() => JdbcUrl.Parse("jdbc:oracle:thin:@host:1521:db"));
        Assert.Contains("'oracle' is not supported", e.Message);
        e = Assert.Throws<ConnectorConfigException>(() => JdbcUrl.Parse("server-with-password=oops"));
        Assert.DoesNotContain("oops", e.Message);
    }
}
