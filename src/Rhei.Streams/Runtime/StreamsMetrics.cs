using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Rhei.Streams.Runtime;

/// <summary>
/// The stream runtime's metrics on the Meter "Rhei.Streams", tagged with <c>application.id</c> (a persistent query's
/// consumer group): records processed and processing errors (counted once per poll loop, not per record), and the
/// approximate entries of each state store, observed from the running threads when a listener collects.
/// </summary>
internal static class StreamsMetrics
{
    public const string MeterName = "Rhei.Streams";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Processed = Meter.CreateCounter<long>("rhei.streams.records.processed", "{record}",
        "Records processed by stream tasks, per application (a persistent query's application.id).");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("rhei.streams.processing.errors", "{error}",
        "Records that failed to process (written to the processing log), per application.");
    private static readonly ConcurrentDictionary<StreamThread, string> Threads = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> EntryCounters = new();

    static StreamsMetrics()
    {
        Meter.CreateObservableGauge("rhei.streams.state.entries", ObserveStores, "{entry}",
            "Approximate entries of each key-value state store, summed over this instance's tasks, per application and store.");
        Meter.CreateObservableGauge("rhei.streams.tasks", ObserveTasks, "{task}",
            "Stream tasks this instance runs, per application.");
    }

    public static void Register(StreamThread thread, string applicationId) => Threads[thread] = applicationId;

    public static void Unregister(StreamThread thread) => Threads.TryRemove(thread, out _);

    public static void AddProcessed(string applicationId, long records)
    {
        if (records > 0 && Processed.Enabled)
        {
            Processed.Add(records, new KeyValuePair<string, object?>("application.id", applicationId));
        }
    }

    public static void AddError(string applicationId)
    {
        if (Errors.Enabled)
        {
            Errors.Add(1, new KeyValuePair<string, object?>("application.id", applicationId));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveTasks()
    {
        foreach (var group in Threads.GroupBy(t => t.Value, StringComparer.Ordinal))
        {
            yield return new Measurement<long>(group.Sum(t => t.Key.Tasks.Count), new KeyValuePair<string, object?>("application.id", group.Key));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveStores()
    {
        var sums = new Dictionary<(string App, string Store), long>();
        foreach (var (thread, applicationId) in Threads)
        {
            foreach (var task in thread.Tasks)
            {
                if (!task.Initialized)
                {
                    continue;
                }

                foreach (var registered in task.State.Stores)
                {
                    if (Entries(registered.Store) is { } entries)
                    {
                        var key = (applicationId, registered.Store.Name);
                        sums[key] = sums.GetValueOrDefault(key) + entries;
                    }
                }
            }
        }

        foreach (var ((app, store), entries) in sums)
        {
            yield return new Measurement<long>(entries, new KeyValuePair<string, object?>("application.id", app), new KeyValuePair<string, object?>("store", store));
        }
    }

    /// <summary>A key-value store's approximate entry count (the property is on its generic read interface); null for other stores or a closed one.</summary>
    private static long? Entries(State.IStateStore store)
    {
        var property = EntryCounters.GetOrAdd(store.GetType(), static type => type.GetProperty("ApproximateNumEntries", BindingFlags.Public | BindingFlags.Instance));
        if (property is null)
        {
            return null;
        }

        try
        {
            return property.GetValue(store) as long?;
        }
        catch (TargetInvocationException)
        {
            return null; // closed while observed (a rebalance moved the task)
        }
    }
}
