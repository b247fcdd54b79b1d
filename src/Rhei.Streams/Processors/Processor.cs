namespace Rhei.Streams.Processors;

/// <summary>A node of a running topology, one instance per task. Built by the task, initialized once its stores exist.</summary>
public abstract class Processor
{
    /// <summary>Called once the task's stores are registered and restored; look stores up and schedule punctuations here.</summary>
    public virtual void Init(ProcessorContext context)
    {
    }

    public virtual void Close()
    {
    }
}

/// <summary>A node that receives records of key type <typeparamref name="K"/> and value type <typeparamref name="V"/>.</summary>
public abstract class Processor<K, V> : Processor
{
    /// <summary>Processes one record; the current record's metadata (topic, offset, headers) is on the context.</summary>
    public abstract void Process(K key, V value, long timestamp);
}

/// <summary>The children of a node: forwarding sends a record to each, in the order they were added.</summary>
public sealed class Downstream<K, V>
{
    private readonly Processor<K, V>[] _children;

    internal Downstream(Processor<K, V>[] children) => _children = children;

    public bool IsEmpty => _children.Length == 0;

    public void Forward(K key, V value, long timestamp)
    {
        var children = _children;
        for (var i = 0; i < children.Length; i++)
        {
            children[i].Process(key, value, timestamp);
        }
    }
}

/// <summary>The time a punctuation follows.</summary>
public enum PunctuationType
{
    /// <summary>Fires as the task's stream time (the largest record timestamp processed) passes each interval.</summary>
    StreamTime,

    /// <summary>Fires as the wall clock (<see cref="StreamsOptions.TimeProvider"/>) passes each interval.</summary>
    WallClockTime,
}

/// <summary>Makes a processor for <c>KStream.Process</c>: it gets the task's context and its children.</summary>
public delegate Processor<K, V> ProcessorFactory<K, V, KOut, VOut>(ProcessorContext context, Downstream<KOut, VOut> downstream);
