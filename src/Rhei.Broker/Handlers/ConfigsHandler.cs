using System.Globalization;
using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;
using Rhei.Storage.Topics;

namespace Rhei.Broker.Handlers;

/// <summary>
/// DescribeConfigs v0–2 for topics (every topic-level config: the overrides as DYNAMIC_TOPIC_CONFIG, the rest
/// from the broker's defaults, with their broker-level synonyms on request) and for this broker (the settings
/// table, read-only: STATIC_BROKER_CONFIG where set, DEFAULT_CONFIG otherwise).
/// </summary>
internal sealed class ConfigsHandler(BrokerServices services)
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;
    private const sbyte DynamicTopicConfig = 1;
    private const sbyte StaticBrokerConfig = 4;
    private const sbyte DefaultConfig = 5;

    /// <summary>Topic configs Rhei stores and describes but does not act on, with Kafka's defaults.</summary>
    private static readonly Dictionary<string, string> s_passiveDefaults = new(StringComparer.Ordinal)
    {
        ["compression.type"] = "producer",
        ["file.delete.delay.ms"] = "60000",
        ["follower.replication.throttled.replicas"] = "",
        ["leader.replication.throttled.replicas"] = "",
        ["local.retention.bytes"] = "-2",
        ["local.retention.ms"] = "-2",
        ["max.compaction.lag.ms"] = long.MaxValue.ToString(CultureInfo.InvariantCulture),
        ["message.downconversion.enable"] = "true",
        ["message.format.version"] = "3.0-IV1",
        ["message.timestamp.after.max.ms"] = long.MaxValue.ToString(CultureInfo.InvariantCulture),
        ["message.timestamp.before.max.ms"] = long.MaxValue.ToString(CultureInfo.InvariantCulture),
        ["message.timestamp.difference.max.ms"] = long.MaxValue.ToString(CultureInfo.InvariantCulture),
        ["min.insync.replicas"] = "1",
        ["preallocate"] = "false",
        ["remote.storage.enable"] = "false",
        ["segment.index.bytes"] = "10485760",
        ["segment.jitter.ms"] = "0",
        ["unclean.leader.election.enable"] = "false",
    };

    /// <summary>The broker-level key behind each topic-level key (Kafka's synonyms), most specific first.</summary>
    private static readonly Dictionary<string, string[]> s_brokerSynonyms = new(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = ["log.cleanup.policy"],
        ["compression.type"] = ["compression.type"],
        ["delete.retention.ms"] = ["log.cleaner.delete.retention.ms"],
        ["file.delete.delay.ms"] = ["log.segment.delete.delay.ms"],
        ["flush.messages"] = ["log.flush.interval.messages"],
        ["flush.ms"] = ["log.flush.interval.ms"],
        ["index.interval.bytes"] = ["log.index.interval.bytes"],
        ["max.compaction.lag.ms"] = ["log.cleaner.max.compaction.lag.ms"],
        ["max.message.bytes"] = ["message.max.bytes"],
        ["message.downconversion.enable"] = ["log.message.downconversion.enable"],
        ["message.timestamp.type"] = ["log.message.timestamp.type"],
        ["min.cleanable.dirty.ratio"] = ["log.cleaner.min.cleanable.ratio"],
        ["min.compaction.lag.ms"] = ["log.cleaner.min.compaction.lag.ms"],
        ["min.insync.replicas"] = ["min.insync.replicas"],
        ["preallocate"] = ["log.preallocate"],
        ["retention.bytes"] = ["log.retention.bytes"],
        ["retention.ms"] = ["log.retention.ms", "log.retention.minutes", "log.retention.hours"],
        ["segment.bytes"] = ["log.segment.bytes"],
        ["segment.index.bytes"] = ["log.index.size.max.bytes"],
        ["segment.jitter.ms"] = ["log.roll.jitter.ms"],
        ["segment.ms"] = ["log.roll.ms", "log.roll.hours"],
        ["unclean.leader.election.enable"] = ["unclean.leader.election.enable"],
    };

    public bool DescribeConfigs(RequestContext context, DescribeConfigsRequest request)
    {
        var response = new DescribeConfigsResponse();
        var version = context.ApiVersion;
        var synonyms = version >= 1 && request.IncludeSynonyms;
        foreach (var resource in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult
            {
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                ErrorMessage = null,
            };
            response.Results.Add(result);
            var keys = resource.ConfigurationKeys is { } k ? new HashSet<string>(k, StringComparer.Ordinal) : null;
            switch (resource.ResourceType)
            {
                case TopicResource:
                    DescribeTopic(resource.ResourceName, keys, synonyms, version, result);
                    break;
                case BrokerResource:
                    DescribeBroker(resource.ResourceName, keys, synonyms, version, result);
                    break;
                default:
                    result.ErrorCode = (short)ErrorCode.InvalidRequest;
                    result.ErrorMessage = $"Resource type {resource.ResourceType} is not served: describe topics (2) or this broker (4).";
                    break;
            }
        }

        context.Respond(response);
        return true;
    }

    private void DescribeTopic(string name, HashSet<string>? keys, bool includeSynonyms, short version, DescribeConfigsResponse.DescribeConfigsResult result)
    {
        var info = services.Storage.DescribeTopic(name);
        if (info is null)
        {
            result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            result.ErrorMessage = $"Topic '{name}' does not exist.";
            return;
        }

        var effective = info.Config.ToDictionary();
        var defaults = TopicConfig.Defaults(services.Storage.Options).ToDictionary();
        foreach (var key in TopicConfig.KnownNames.Order(StringComparer.Ordinal))
        {
            if (keys is not null && !keys.Contains(key))
            {
                continue;
            }

            var (brokerName, brokerValue, brokerSet) = BrokerSynonym(key, defaults);
            var overridden = info.ConfigOverrides.TryGetValue(key, out var overrideValue);
            var value = overridden ? overrideValue : effective.GetValueOrDefault(key) ?? brokerValue;
            var entry = new DescribeConfigsResponse.DescribeConfigsResourceResult
            {
                Name = key,
                Value = value,
                ReadOnly = false,
                IsDefault = !overridden,
                ConfigSource = overridden ? DynamicTopicConfig : brokerSet ? StaticBrokerConfig : DefaultConfig,
            };
            if (version == 0)
            {
                entry.ConfigSource = -1;
            }
            else
            {
                entry.IsDefault = false;
            }

            if (includeSynonyms)
            {
                if (overridden)
                {
                    entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = key, Value = overrideValue, Source = DynamicTopicConfig });
                }

                if (brokerName is not null)
                {
                    entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = brokerName, Value = brokerValue, Source = brokerSet ? StaticBrokerConfig : DefaultConfig });
                }
            }

            result.Configs.Add(entry);
        }
    }

    /// <summary>The broker-level key a topic key falls back to, its value, and whether it was set (not a default).</summary>
    private (string? Name, string? Value, bool IsSet) BrokerSynonym(string topicKey, IReadOnlyDictionary<string, string> defaults)
    {
        var fallback = defaults.GetValueOrDefault(topicKey) ?? s_passiveDefaults.GetValueOrDefault(topicKey);
        if (!s_brokerSynonyms.TryGetValue(topicKey, out var names))
        {
            return (null, fallback, false);
        }

        foreach (var name in names)
        {
            if (services.Options.BrokerConfigs.FirstOrDefault(c => c.Name == name) is { IsDefault: false })
            {
                return (name, fallback, true);
            }
        }

        return (names[0], fallback, false);
    }

    private void DescribeBroker(string name, HashSet<string>? keys, bool includeSynonyms, short version, DescribeConfigsResponse.DescribeConfigsResult result)
    {
        var nodeId = services.Cluster.NodeId.ToString(CultureInfo.InvariantCulture);
        if (name.Length > 0 && name != nodeId)
        {
            result.ErrorCode = (short)ErrorCode.InvalidRequest;
            result.ErrorMessage = $"Broker {name} is not this node: this cluster has one broker, id {nodeId}.";
            return;
        }

        foreach (var config in services.Options.BrokerConfigs.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (keys is not null && !keys.Contains(config.Name))
            {
                continue;
            }

            var source = config.IsDefault ? DefaultConfig : StaticBrokerConfig;
            var value = config.IsSensitive ? null : config.Value;
            var entry = new DescribeConfigsResponse.DescribeConfigsResourceResult
            {
                Name = config.Name,
                Value = value,
                ReadOnly = true,
                IsDefault = version == 0 && config.IsDefault,
                ConfigSource = version == 0 ? (sbyte)-1 : source,
                IsSensitive = config.IsSensitive,
            };
            if (includeSynonyms)
            {
                entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = config.Name, Value = value, Source = source });
            }

            result.Configs.Add(entry);
        }
    }
}
