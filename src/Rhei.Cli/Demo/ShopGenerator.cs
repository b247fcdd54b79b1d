namespace Rhei.Cli.Demo;

/// <summary>A customer's profile row: <c>user_profiles(id, customer_id, name, country, updated_at)</c>.</summary>
public sealed record ProfileRow(int Id, int CustomerId, string Name, string Country, long UpdatedAt);

/// <summary>A purchase row: <c>purchases(id, customer_id, pageid, order_total, viewtime)</c>.</summary>
public sealed record PurchaseRow(int Id, int CustomerId, string PageId, decimal OrderTotal, long ViewTime);

/// <summary>
/// Makes the shop's rows: customers spread over a few countries and purchases by them with totals in cents. The same
/// seed makes the same rows, so a run can be repeated.
/// </summary>
public sealed class ShopGenerator(int seed)
{
    /// <summary>The countries customers live in (the keys of <c>orders_by_country</c>).</summary>
    public static readonly IReadOnlyList<string> Countries = ["usa", "germany", "france", "japan", "brazil", "india"];

    private static readonly string[] FirstNames =
        ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Niklaus", "Radia", "Tony"];

    private readonly Random _random = new(seed);

    /// <summary>A profile for <paramref name="customerId"/>; every third customer lives in the USA.</summary>
    public ProfileRow Profile(int id, int customerId, long updatedAt)
    {
        var country = customerId % 3 == 0 ? "usa" : Countries[_random.Next(Countries.Count)];
        var name = $"{FirstNames[_random.Next(FirstNames.Length)]} {(char)('A' + _random.Next(26))}.";
        return new ProfileRow(id, customerId, name, country, updatedAt);
    }

    /// <summary>A purchase by one of <paramref name="customers"/> (customer ids 1..customers) at <paramref name="viewTime"/>.</summary>
    public PurchaseRow Purchase(int id, int customers, long viewTime)
    {
        var cents = 199 + _random.Next(25_000);
        return new PurchaseRow(id, 1 + _random.Next(customers), $"checkout_{1 + _random.Next(40)}", cents / 100m, viewTime);
    }
}
