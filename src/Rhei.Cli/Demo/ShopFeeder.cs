using Microsoft.Data.Sqlite;

namespace Rhei.Cli.Demo;

/// <summary>
/// The demo's shop database, a SQLite file: <see cref="CreateAsync"/> makes it with sample rows (customers and a
/// quarter of an hour of purchases), <see cref="RunAsync"/> keeps adding purchases (and now and then a new customer)
/// until cancelled, as a live application would.
/// </summary>
public sealed class ShopFeeder
{
    /// <summary>How long a new customer waits before buying: the connector captures the profile first.</summary>
    private static readonly TimeSpan NewCustomerQuietPeriod = TimeSpan.FromSeconds(10);

    private readonly string _connectionString;
    private readonly ShopGenerator _generator;
    private readonly TimeProvider _time;
    private int _nextPurchaseId;
    private int _nextProfileId;
    private int _customers;
    private long _purchasesWritten;

    private ShopFeeder(string path, ShopGenerator generator, TimeProvider time)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 10 }.ToString();
        _generator = generator;
        _time = time;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Customers with a profile that purchases may reference.</summary>
    public int Customers => Volatile.Read(ref _customers);

    /// <summary>Purchases in the database so far.</summary>
    public long PurchasesWritten => Interlocked.Read(ref _purchasesWritten);

    /// <summary>
    /// Creates the database at <paramref name="path"/> (which must not exist) with <paramref name="customers"/> profiles,
    /// dated an hour ago, and <paramref name="purchases"/> purchases spread over the last 15 minutes.
    /// </summary>
    public static async Task<ShopFeeder> CreateAsync(
        string path, int customers, int purchases, int seed, TimeProvider time, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            throw new IOException($"The shop database {path} already exists; remove it to start over.");
        }

        var feeder = new ShopFeeder(path, new ShopGenerator(seed), time);
        await using var connection = await feeder.OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            // Readers (the connector) and the writer (the feeder) do not block each other in WAL mode.
            wal.CommandText = "PRAGMA journal_mode=WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await ShopDatabase.CreateSchemaAsync(connection, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var hourAgo = now - 3_600_000;
        await ShopDatabase.InsertAsync(connection, Enumerable.Range(1, customers).Select(c => feeder._generator.Profile(c, c, hourAgo)), cancellationToken);
        feeder._nextProfileId = customers + 1;
        feeder._customers = customers;

        var start = now - 15 * 60_000;
        var rows = Enumerable.Range(1, purchases)
            .Select(i => feeder._generator.Purchase(i, customers, start + (15 * 60_000L * (i - 1) / purchases)))
            .ToList();
        await ShopDatabase.InsertAsync(connection, rows, cancellationToken);
        feeder._nextPurchaseId = purchases + 1;
        feeder._purchasesWritten = purchases;
        return feeder;
    }

    /// <summary>
    /// Adds one purchase every <paramref name="interval"/>, and a new customer every 40 purchases (who starts buying
    /// after a quiet period), until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var pending = new Queue<(int CustomerId, DateTimeOffset From)>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(interval, _time, cancellationToken);
                var now = _time.GetUtcNow();
                while (pending.TryPeek(out var next) && next.From <= now)
                {
                    pending.Dequeue();
                    Volatile.Write(ref _customers, next.CustomerId);
                }

                if (_nextPurchaseId % 40 == 0)
                {
                    var customer = _customers + pending.Count + 1;
                    await ShopDatabase.InsertAsync(connection, [_generator.Profile(_nextProfileId++, customer, now.ToUnixTimeMilliseconds())], cancellationToken);
                    pending.Enqueue((customer, now + NewCustomerQuietPeriod));
                }

                await ShopDatabase.InsertAsync(connection, [_generator.Purchase(_nextPurchaseId++, _customers, now.ToUnixTimeMilliseconds())], cancellationToken);
                Interlocked.Increment(ref _purchasesWritten);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
