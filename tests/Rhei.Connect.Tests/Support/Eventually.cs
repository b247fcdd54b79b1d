using Rhei.Connect.Runtime;

namespace Rhei.Connect.Tests.Support;

/// <summary>Waits for a condition that becomes true asynchronously (not a timing assertion: the limit is generous).</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<T> read, Func<T, bool> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        var last = read();
        while (!condition(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Gave up waiting for {what}; last seen: {Show(last)}");
            }

            await Task.Delay(50);
            last = read();
        }

        return last;
    }

    private static string Show(object? value) => value switch
    {
        List<object?[]> rows => "[" + string.Join("; ", rows.Select(r => string.Join(", ", r.Select(v => v?.ToString() ?? "NULL")))) + "]",
        ConnectorStatus s => s.ToString() + " tasks: " + string.Join("; ", s.Tasks.Select(t => t.ToString())),
        _ => value?.ToString() ?? "null",
    };

    public static Task<ConnectorStatus> StateAsync(ConnectorRuntime runtime, string name, ConnectorState state, TimeSpan? limit = null) =>
        WaitAsync(() => runtime.Describe(name),
            s => state == ConnectorState.Failed ? s.State == state : s.State == state && s.Tasks.Count > 0 && s.Tasks.All(t => t.State == state),
            $"connector {name} to be {state.ToDisplay()}", limit);
}
