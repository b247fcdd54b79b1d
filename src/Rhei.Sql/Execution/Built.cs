using Rhei.Streams;

namespace Rhei.Sql.Execution;

/// <summary>A step built into Rhei.Streams: a stream or a table of rows, with its key type.</summary>
internal abstract class Built
{
    public abstract T Accept<T>(IBuiltVisitor<T> visitor);
}

/// <summary>Operates on a built step whatever its key type.</summary>
internal interface IBuiltVisitor<out T>
{
    T Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
        where K : notnull;

    T Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
        where K : notnull;
}

internal sealed class BuiltStream<K>(KStream<K, object?[]> stream, KeyOps<K> keys) : Built
    where K : notnull
{
    public KStream<K, object?[]> Stream { get; } = stream;

    public KeyOps<K> Keys { get; } = keys;

    public override T Accept<T>(IBuiltVisitor<T> visitor) => visitor.Stream(Stream, Keys);
}

internal sealed class BuiltTable<K>(KTable<K, object?[]> table, KeyOps<K> keys) : Built
    where K : notnull
{
    public KTable<K, object?[]> Table { get; } = table;

    public KeyOps<K> Keys { get; } = keys;

    public override T Accept<T>(IBuiltVisitor<T> visitor) => visitor.Table(Table, Keys);
}
