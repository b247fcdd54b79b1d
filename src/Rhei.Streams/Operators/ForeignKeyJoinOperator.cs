using System.Buffers.Binary;
using System.IO.Hashing;
using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Foreign-key table-table join, through two internal topics so that it works when partitions are spread
/// over instances (Kafka Streams' subscription/response design):
/// <list type="number">
/// <item>A left update sends a subscription (hash of the left value, instruction, left key) keyed by the
/// foreign key to <c>&lt;name&gt;-subscription-registration-topic</c>, co-partitioned with the right table.</item>
/// <item>On the right side a subscription store keeps, per foreign key, the left keys subscribed to it. A
/// subscription, or a right update, sends responses (hash, right value) keyed by the left key to
/// <c>&lt;name&gt;-subscription-response-topic</c>, to the left key's partition.</item>
/// <item>A response whose hash no longer matches the current left value is stale and dropped; otherwise the
/// join result (or a delete) is emitted.</item>
/// </list>
/// </summary>
internal static class ForeignKeyJoinOperator
{
    internal enum Instruction : byte
    {
        DeleteKeyAndPropagate = 0,
        DeleteKeyNoPropagate = 1,
        PropagateNullIfNoForeignValue = 2,
        PropagateOnlyIfForeignValue = 3,
    }

    internal readonly record struct Subscription(byte[]? Hash, Instruction Instruction, byte[] PrimaryKey, int PrimaryPartition);

    internal readonly record struct Response<VO>(byte[]? Hash, bool HasValue, VO Value, int Partition = -1);

    public static KTable<K, VR> Join<K, V, KO, VO, VR>(KTable<K, V> left, KTable<KO, VO> right, Func<V, KO> foreignKey, Func<K, V, VO, VR> joiner, TableJoined tableJoined, Materialized<K, VR>? materialized, bool leftJoin)
        where K : notnull
        where KO : notnull
    {
        var builder = left.Builder;
        var keySerde = left.KeySerde ?? throw new InvalidOperationException("A foreign-key join needs the left table's key serde.");
        var valueSerde = left.ValueSerde ?? throw new InvalidOperationException("A foreign-key join needs the left table's value serde (to hash rows).");
        var foreignKeySerde = right.KeySerde ?? throw new InvalidOperationException("A foreign-key join needs the right table's key serde.");
        var foreignValueSerde = right.ValueSerde ?? throw new InvalidOperationException("A foreign-key join needs the right table's value serde.");

        var n = tableJoined.Name;
        var subscriptionTopic = n is null ? builder.NewName("KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-") + "-topic" : n + "-subscription-registration-topic";
        var subscriptionStore = n is null ? builder.NewName("KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-") : n + "-subscription-store";
        var responseTopic = n is null ? builder.NewName("KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-") + "-topic" : n + "-subscription-response-topic";
        builder.AddRepartitionTopic(subscriptionTopic, null);
        builder.AddRepartitionTopic(responseTopic, null);

        left.State.EnableSendingOldValues(true);
        var leftGetter = left.State.RequireGetter();
        var rightGetter = right.State.RequireGetter();
        var subscriptionSerde = SubscriptionSerde();
        var responseSerde = ResponseSerde(foreignValueSerde);

        // 1. left updates → subscriptions
        var sendName = builder.Name(n is null ? null : n + "-subscription-registration-processor", "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-");
        ProcessorGraphNode<K, Response<VO>, K, VR>? resolve = null;
        var send = builder.Add(new ProcessorGraphNode<K, Change<V>, KO, Subscription>(sendName, (b, ds) =>
            new SubscriptionSendProcessor<K, V, KO, VO>(foreignKey, keySerde, valueSerde, foreignKeySerde, leftJoin, leftJoin ? resolve!.Get(b) : null, ds))).From(left.Node);
        var subSink = builder.Add(new SinkNode<KO, Subscription>(builder.Name(n is null ? null : n + "-subscription-registration-sink", "KTABLE-SINK-"), new TopicName(subscriptionTopic, true), foreignKeySerde, subscriptionSerde, null));
        send.AddChild(subSink, subSink.Get);

        // 2. right side: subscriptions and right updates → responses
        builder.AddStore(new KeyValueStoreSpec<byte[], SubscriptionSet>(subscriptionStore, StoreType.InMemory, Serdes.ByteArray, new PlainValueCodec<SubscriptionSet>(SubscriptionSet.Serde), ByteArrayComparer.Instance));
        var subSource = builder.Add(new SourceNode<KO, Subscription>(builder.Name(n is null ? null : n + "-subscription-registration-source", "KSTREAM-SOURCE-"), [new TopicName(subscriptionTopic, true)], foreignKeySerde, subscriptionSerde, null));
        var receiveName = builder.Name(n is null ? null : n + "-subscription-receive", "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-");
        var receive = builder.Add(new ProcessorGraphNode<KO, Subscription, byte[], Response<VO>>(receiveName, (b, ds) =>
            new SubscriptionReceiveProcessor<KO, VO>(b.Store<IKeyValueStore<byte[], SubscriptionSet>>(subscriptionStore), rightGetter.Create(b), foreignKeySerde, ds))).From(subSource);
        receive.StoreNames.Add(subscriptionStore);
        receive.StoreNames.AddRange(rightGetter.Stores);
        var foreignName = builder.Name(n is null ? null : n + "-foreign-join", "KTABLE-FK-JOIN-FOREIGN-");
        var foreign = builder.Add(new ProcessorGraphNode<KO, Change<VO>, byte[], Response<VO>>(foreignName, (b, ds) =>
            new ForeignTableProcessor<KO, VO>(b.Store<IKeyValueStore<byte[], SubscriptionSet>>(subscriptionStore), foreignKeySerde, ds))).From(right.Node);
        foreign.StoreNames.Add(subscriptionStore);
        var respSink = builder.Add(new SinkNode<byte[], Response<VO>>(builder.Name(n is null ? null : n + "-subscription-response-sink", "KTABLE-SINK-"), new TopicName(responseTopic, true), Serdes.ByteArray, responseSerde, static (_, _, r, count) => r.Partition >= 0 && r.Partition < count ? r.Partition : 0));
        receive.AddChild(respSink, respSink.Get);
        foreign.AddChild(respSink, respSink.Get);
        builder.RequireCopartition(StreamsBuilder.UpstreamSourceTopics(right.Node).Append(new TopicName(subscriptionTopic, true)));

        // 3. responses → results (the null-foreign-key responses of a left join arrive straight from step 1)
        var respSource = builder.Add(new SourceNode<K, Response<VO>>(builder.Name(n is null ? null : n + "-subscription-response-source", "KSTREAM-SOURCE-"), [new TopicName(responseTopic, true)], keySerde, responseSerde, null));
        var resolveName = builder.Name(n is null ? null : n + "-subscription-response-resolver", "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-");
        resolve = builder.Add(new ProcessorGraphNode<K, Response<VO>, K, VR>(resolveName, (b, ds) =>
            new ResponseJoinProcessor<K, V, VO, VR>(leftGetter.Create(b), valueSerde, joiner, leftJoin, ds))).From(respSource);
        resolve.StoreNames.AddRange(leftGetter.Stores);
        builder.RequireCopartition(StreamsBuilder.UpstreamSourceTopics(left.Node).Append(new TopicName(responseTopic, true)));

        var resultName = builder.Name(n is null ? null : n + "-result", "KTABLE-FK-JOIN-OUTPUT-");
        var resultStream = new KStream<K, VR>(builder, resolve, keySerde, materialized?.ValueSerde, false);
        return KTableSourceOperator.Create(builder, resultStream.Node, resultName, materialized is null ? null : materialized with { KeySerde = materialized.KeySerde ?? keySerde }, keySerde, materialized?.ValueSerde);
    }

    private static byte[]? Hash<V>(Serde<V> serde, V value, string topic)
    {
        if (value is null) { return null; }
        var bytes = serde.Serialize(value, topic);
        return bytes is null ? null : XxHash128.Hash(bytes);
    }

    /// <summary>Subscription value: version (1), instruction (1), hash length (1, 0 = none), hash, primary partition (4), primary key bytes.</summary>
    private static Serde<Subscription> SubscriptionSerde() => new(
        (s, _) =>
        {
            var hashLen = s.Hash?.Length ?? 0;
            var b = new byte[3 + hashLen + 4 + s.PrimaryKey.Length];
            b[0] = 1;
            b[1] = (byte)s.Instruction;
            b[2] = (byte)hashLen;
            s.Hash?.CopyTo(b, 3);
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(3 + hashLen), s.PrimaryPartition);
            s.PrimaryKey.CopyTo(b, 7 + hashLen);
            return b;
        },
        (d, isNull, _) =>
        {
            if (isNull) { throw new FormatException("A foreign-key subscription record has no value."); }
            var hashLen = d[2];
            return new Subscription(hashLen == 0 ? null : d.Slice(3, hashLen).ToArray(), (Instruction)d[1], d[(7 + hashLen)..].ToArray(), BinaryPrimitives.ReadInt32BigEndian(d[(3 + hashLen)..]));
        });

    /// <summary>Response value: version (1), hash length (1), hash, value flag (1), foreign value bytes.</summary>
    private static Serde<Response<VO>> ResponseSerde<VO>(Serde<VO> foreignValueSerde) => new(
        (r, topic) =>
        {
            var v = r.HasValue && r.Value is not null ? foreignValueSerde.Serialize(r.Value, topic) : null;
            var hashLen = r.Hash?.Length ?? 0;
            var b = new byte[3 + hashLen + (v?.Length ?? 0)];
            b[0] = 1;
            b[1] = (byte)hashLen;
            r.Hash?.CopyTo(b, 2);
            b[2 + hashLen] = v is null ? (byte)0 : (byte)1;
            v?.CopyTo(b, 3 + hashLen);
            return b;
        },
        (d, isNull, topic) =>
        {
            if (isNull) { throw new FormatException("A foreign-key response record has no value."); }
            var hashLen = d[1];
            var has = d[2 + hashLen] == 1;
            return new Response<VO>(hashLen == 0 ? null : d.Slice(2, hashLen).ToArray(), has, has ? foreignValueSerde.Deserialize(d[(3 + hashLen)..], false, topic) : default!);
        });

    /// <summary>Left side: turns a left update into subscription instructions for the old and new foreign keys.</summary>
    private sealed class SubscriptionSendProcessor<K, V, KO, VO>(Func<V, KO> foreignKey, Serde<K> keySerde, Serde<V> valueSerde, Serde<KO> foreignKeySerde, bool leftJoin, Processor<K, Response<VO>>? localResponse, Downstream<KO, Subscription> downstream)
        : Processor<K, Change<V>>
        where KO : notnull
    {
        private ProcessorContext _context = null!;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, Change<V> change, long timestamp)
        {
            var topic = _context.ApplicationId;
            var hash = Hash(valueSerde, change.NewValue, topic);
            var primaryKey = keySerde.Serialize(key, topic) ?? throw new InvalidOperationException("A foreign-key join's left key serialized to null.");
            var partition = _context.TaskId.Partition;
            var newKey = change.NewValue is null ? default : foreignKey(change.NewValue);
            var oldKey = change.OldValue is null ? default : foreignKey(change.OldValue);

            if (leftJoin)
            {
                if (change.OldValue is not null)
                {
                    if (oldKey is not null && (newKey is null || !SameKey(oldKey, newKey, topic)))
                    {
                        downstream.Forward(oldKey, new Subscription(hash, Instruction.DeleteKeyNoPropagate, primaryKey, partition), timestamp);
                    }

                    if (change.NewValue is null)
                    {
                        if (oldKey is not null) { downstream.Forward(oldKey, new Subscription(hash, Instruction.DeleteKeyAndPropagate, primaryKey, partition), timestamp); }
                        else { localResponse!.Process(key, new Response<VO>(hash, false, default!), timestamp); }
                        return;
                    }
                }

                if (change.NewValue is null) { return; }
                if (newKey is null)
                {
                    localResponse!.Process(key, new Response<VO>(hash, false, default!), timestamp);
                    return;
                }

                downstream.Forward(newKey, new Subscription(hash, Instruction.PropagateNullIfNoForeignValue, primaryKey, partition), timestamp);
                return;
            }

            if (change.OldValue is not null)
            {
                if (oldKey is null)
                {
                    if (change.NewValue is not null && newKey is not null)
                    {
                        downstream.Forward(newKey, new Subscription(hash, Instruction.PropagateOnlyIfForeignValue, primaryKey, partition), timestamp);
                    }

                    return;
                }

                if (change.NewValue is not null)
                {
                    if (newKey is null)
                    {
                        downstream.Forward(oldKey, new Subscription(hash, Instruction.DeleteKeyAndPropagate, primaryKey, partition), timestamp);
                        return;
                    }

                    if (!SameKey(oldKey, newKey, topic))
                    {
                        downstream.Forward(oldKey, new Subscription(hash, Instruction.DeleteKeyNoPropagate, primaryKey, partition), timestamp);
                    }

                    downstream.Forward(newKey, new Subscription(hash, Instruction.PropagateNullIfNoForeignValue, primaryKey, partition), timestamp);
                }
                else
                {
                    downstream.Forward(oldKey, new Subscription(hash, Instruction.DeleteKeyAndPropagate, primaryKey, partition), timestamp);
                }
            }
            else if (change.NewValue is not null && newKey is not null)
            {
                downstream.Forward(newKey, new Subscription(hash, Instruction.PropagateOnlyIfForeignValue, primaryKey, partition), timestamp);
            }
        }

        private bool SameKey(KO a, KO b, string topic) =>
            (foreignKeySerde.Serialize(a, topic) ?? []).AsSpan().SequenceEqual(foreignKeySerde.Serialize(b, topic) ?? []);
    }

    /// <summary>Right side: records a subscription, then answers it with the current right value per its instruction.</summary>
    private sealed class SubscriptionReceiveProcessor<KO, VO>(IKeyValueStore<byte[], SubscriptionSet> store, ValueGetter<KO, VO> right, Serde<KO> foreignKeySerde, Downstream<byte[], Response<VO>> downstream)
        : Processor<KO, Subscription>
        where KO : notnull
    {
        private ProcessorContext _context = null!;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(KO key, Subscription value, long timestamp)
        {
            if (key is null) { return; }
            var fk = foreignKeySerde.Serialize(key, _context.ApplicationId) ?? [];
            store.TryGet(fk, out var set);
            set = set is null ? new SubscriptionSet() : set.Copy();
            if (value.Instruction is Instruction.DeleteKeyAndPropagate or Instruction.DeleteKeyNoPropagate)
            {
                set.Entries.Remove(value.PrimaryKey);
            }
            else
            {
                set.Entries[value.PrimaryKey] = new SubscriptionSet.Item(value.Hash, value.PrimaryPartition, timestamp);
            }

            if (set.Entries.Count == 0) { store.Delete(fk); } else { store.Put(fk, set); }

            var found = right(key, out var rv);
            var ts = found ? Math.Max(timestamp, rv.Timestamp) : timestamp;
            switch (value.Instruction)
            {
                case Instruction.DeleteKeyAndPropagate:
                    Send(value, new Response<VO>(value.Hash, false, default!), timestamp);
                    break;
                case Instruction.PropagateNullIfNoForeignValue:
                    Send(value, new Response<VO>(value.Hash, found, found ? rv.Value : default!), ts);
                    break;
                case Instruction.PropagateOnlyIfForeignValue:
                    if (found) { Send(value, new Response<VO>(value.Hash, true, rv.Value), ts); }
                    break;
            }
        }

        private void Send(Subscription s, Response<VO> response, long timestamp) => downstream.Forward(s.PrimaryKey, response with { Partition = s.PrimaryPartition }, timestamp);
    }

    /// <summary>Right side: a right update answers every subscription of its key with the new right value.</summary>
    private sealed class ForeignTableProcessor<KO, VO>(IKeyValueStore<byte[], SubscriptionSet> store, Serde<KO> foreignKeySerde, Downstream<byte[], Response<VO>> downstream)
        : Processor<KO, Change<VO>>
        where KO : notnull
    {
        private ProcessorContext _context = null!;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(KO key, Change<VO> change, long timestamp)
        {
            if (key is null) { return; }
            var fk = foreignKeySerde.Serialize(key, _context.ApplicationId) ?? [];
            if (!store.TryGet(fk, out var set) || set is null) { return; }
            var keys = set.Entries.Keys.ToArray();
            Array.Sort(keys, ByteArrayComparer.Instance);
            foreach (var primaryKey in keys)
            {
                var item = set.Entries[primaryKey];
                downstream.Forward(primaryKey, new Response<VO>(item.Hash, change.NewValue is not null, change.NewValue, item.Partition), Math.Max(timestamp, item.Timestamp));
            }
        }
    }

    /// <summary>Left side: drops stale responses (hash differs from the current left row) and emits the join result.</summary>
    private sealed class ResponseJoinProcessor<K, V, VO, VR>(ValueGetter<K, V> left, Serde<V> valueSerde, Func<K, V, VO, VR> joiner, bool leftJoin, Downstream<K, VR> downstream)
        : Processor<K, Response<VO>>
    {
        private ProcessorContext _context = null!;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, Response<VO> response, long timestamp)
        {
            var found = left(key, out var current);
            var currentHash = found ? Hash(valueSerde, current.Value, _context.ApplicationId) : null;
            var same = currentHash is null ? response.Hash is null : response.Hash is not null && currentHash.AsSpan().SequenceEqual(response.Hash);
            if (!same) { return; }

            VR result = default!;
            if (response.HasValue || (leftJoin && found))
            {
                result = joiner(key, found ? current.Value : default!, response.HasValue ? response.Value : default!);
            }

            downstream.Forward(key, result, timestamp);
        }
    }
}

/// <summary>The subscriptions to one foreign key: primary key bytes → (hash of the left row, its partition, time).</summary>
internal sealed class SubscriptionSet
{
    internal readonly record struct Item(byte[]? Hash, int Partition, long Timestamp);

    public Dictionary<byte[], Item> Entries { get; } = new(ByteArrayComparer.Instance);

    public SubscriptionSet Copy()
    {
        var copy = new SubscriptionSet();
        foreach (var (k, v) in Entries) { copy.Entries[k] = v; }
        return copy;
    }

    /// <summary>Layout: count (4), then per entry: key length (4), key, hash length (1), hash, partition (4), timestamp (8).</summary>
    public static Serde<SubscriptionSet> Serde { get; } = new(
        (set, _) =>
        {
            if (set is null) { return null; }
            var size = 4 + set.Entries.Sum(e => 4 + e.Key.Length + 1 + (e.Value.Hash?.Length ?? 0) + 12);
            var b = new byte[size];
            BinaryPrimitives.WriteInt32BigEndian(b, set.Entries.Count);
            var pos = 4;
            foreach (var (k, item) in set.Entries)
            {
                BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(pos), k.Length);
                k.CopyTo(b, pos + 4);
                pos += 4 + k.Length;
                b[pos++] = (byte)(item.Hash?.Length ?? 0);
                item.Hash?.CopyTo(b, pos);
                pos += item.Hash?.Length ?? 0;
                BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(pos), item.Partition);
                BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(pos + 4), item.Timestamp);
                pos += 12;
            }

            return b;
        },
        (d, isNull, _) =>
        {
            if (isNull) { return null!; }
            var set = new SubscriptionSet();
            var n = BinaryPrimitives.ReadInt32BigEndian(d);
            var pos = 4;
            for (var i = 0; i < n; i++)
            {
                var kl = BinaryPrimitives.ReadInt32BigEndian(d[pos..]);
                var k = d.Slice(pos + 4, kl).ToArray();
                pos += 4 + kl;
                var hl = d[pos++];
                var hash = hl == 0 ? null : d.Slice(pos, hl).ToArray();
                pos += hl;
                set.Entries[k] = new Item(hash, BinaryPrimitives.ReadInt32BigEndian(d[pos..]), BinaryPrimitives.ReadInt64BigEndian(d[(pos + 4)..]));
                pos += 12;
            }

            return set;
        });
}
