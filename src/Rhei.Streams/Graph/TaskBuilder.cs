using Rhei.Streams.Processors;
using Rhei.Streams.Runtime;
using Rhei.Streams.Graph;
using Rhei.Streams.State;

namespace Rhei.Streams.Graph;

/// <summary>Builds the processors of one task from the graph, each node once.</summary>
internal sealed class TaskBuilder(StreamTask task, ProcessorContext context, IReadOnlyDictionary<string, StoreSpec> stores)
{
    private readonly Dictionary<object, object> _built = [];

    public StreamTask Task { get; } = task;

    public ProcessorContext Context { get; } = context;

    public List<Processor> Processors { get; } = [];

    public List<(string Topic, SourceSlot Slot)> Slots { get; } = [];

    /// <summary>The processor of <paramref name="node"/> in this task, made on first use.</summary>
    public T GetOrCreate<T>(GraphNode node, Func<TaskBuilder, T> create)
        where T : Processor
    {
        if (_built.TryGetValue(node, out var existing)) { return (T)existing; }
        var created = create(this);
        _built[node] = created;
        Processors.Add(created);
        return created;
    }

    /// <summary>Per-task state shared by several processors (a join's time tracker), keyed by an object of the graph.</summary>
    public T Shared<T>(object key, Func<T> create)
        where T : class
    {
        if (_built.TryGetValue(key, out var existing)) { return (T)existing; }
        var created = create();
        _built[key] = created;
        return created;
    }

    /// <summary>The task's instance of a store, registered with the state manager on first use.</summary>
    public TStore Store<TStore>(string name)
        where TStore : class
    {
        var spec = stores.GetValueOrDefault(name) ?? throw new InvalidOperationException($"No state store named {name} is defined in the topology.");
        return Task.State.GetOrCreate(spec) as TStore
            ?? throw new InvalidOperationException($"State store {name} is not a {typeof(TStore).Name}.");
    }

    public void AddSlot(string topic, SourceSlot slot) => Slots.Add((topic, slot));
}
