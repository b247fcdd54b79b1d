namespace Rhei.Sql.Functions.Table;

/// <summary>
/// Table functions (UDTFs): each returns the list of values of its output rows for one input row.
/// When a SELECT has several table functions, their results are zipped (<see cref="Zip"/>).
/// </summary>
public static class TableFunctions
{
    private static readonly List<object?> NoRows = [];

    /// <summary>EXPLODE: one row per element (none for a NULL array).</summary>
    public static List<object?> Explode(List<object?>? array) => array ?? NoRows;

    /// <summary>
    /// CUBE_EXPLODE: every combination of the elements with some of them replaced by NULL (2^n rows, in
    /// binary counting order from all-NULL to all-present), skipping the combinations a NULL element
    /// would duplicate.
    /// </summary>
    public static List<object?> CubeExplode(List<object?>? array)
    {
        if (array is null)
        {
            return NoRows;
        }

        var n = array.Count;
        if (n > 20)
        {
            throw new SqlFunctionException($"CUBE_EXPLODE supports at most 20 columns, got {n}.");
        }

        var rows = new List<object?>(1 << n);
        for (var mask = 0; mask < 1 << n; mask++)
        {
            var row = new List<object?>(n);
            var duplicate = false;
            for (var i = 0; i < n; i++)
            {
                var included = (mask & (1 << (n - 1 - i))) != 0;
                if (included && array[i] is null)
                {
                    duplicate = true;
                    break;
                }

                row.Add(included ? array[i] : null);
            }

            if (!duplicate)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>
    /// Zips the results of several table functions for one input row: as many output rows as the longest
    /// result; shorter results are padded with NULL.
    /// </summary>
    public static List<object?[]> Zip(IReadOnlyList<List<object?>> results)
    {
        var count = 0;
        foreach (var r in results)
        {
            count = Math.Max(count, r.Count);
        }

        var rows = new List<object?[]>(count);
        for (var i = 0; i < count; i++)
        {
            var row = new object?[results.Count];
            for (var j = 0; j < results.Count; j++)
            {
                row[j] = i < results[j].Count ? results[j][i] : null;
            }

            rows.Add(row);
        }

        return rows;
    }
}
