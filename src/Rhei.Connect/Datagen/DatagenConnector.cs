using Rhei.Connect.Config;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Datagen;

/// <summary>Generates sample data (<c>io.confluent.kafka.connect.datagen.DatagenConnector</c>): the quickstart sets and Nexmark. One task.</summary>
public sealed class DatagenConnector : Connector
{
    public override ConnectorKind Kind => ConnectorKind.Source;

    public override ConfigDef ConfigDef => DatagenConfig.Definition;

    public override IEnumerable<ConfigError> Validate(ParsedConfig config)
    {
        var quickstart = config.GetString(DatagenConfig.Quickstart)!;
        var isNexmark = quickstart.Equals(DatagenConfig.Nexmark, StringComparison.OrdinalIgnoreCase);
        if (!isNexmark && string.IsNullOrWhiteSpace(config.GetString(DatagenConfig.KafkaTopic)))
        {
            yield return new ConfigError(DatagenConfig.KafkaTopic, $"Missing required configuration \"{DatagenConfig.KafkaTopic}\" which has no default value.");
        }

        if (!isNexmark && config.GetString(DatagenConfig.KeyField) is { } keyField && Quickstarts.Quickstarts.Find(quickstart) is { } q
            && q.Fields.All(f => f.Name != keyField))
        {
            yield return new ConfigError(DatagenConfig.KeyField,
                $"Invalid value {keyField} for configuration {DatagenConfig.KeyField}: the {q.Name} quickstart has no field {keyField} (fields: {string.Join(", ", q.Fields.Select(f => f.Name))}).");
        }

        if (isNexmark && config.GetDouble(DatagenConfig.NexmarkRate) <= 0)
        {
            yield return new ConfigError(DatagenConfig.NexmarkRate, $"Invalid value {config.Raw[DatagenConfig.NexmarkRate]} for configuration {DatagenConfig.NexmarkRate}: must be more than 0.");
        }
    }

    public override ValueTask<IReadOnlyList<IReadOnlyDictionary<string, string>>> TaskConfigsAsync(ConnectorContext context, ParsedConfig config, int maxTasks, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<IReadOnlyDictionary<string, string>>>([TaskConfig(config)]);

    public override object CreateTask() => new DatagenTask();

    public override IReadOnlyList<string> ConfiguredTopics(ParsedConfig config) =>
        config.GetString(DatagenConfig.Quickstart)!.Equals(DatagenConfig.Nexmark, StringComparison.OrdinalIgnoreCase)
            ? [config.GetString(DatagenConfig.NexmarkPersonTopic)!, config.GetString(DatagenConfig.NexmarkAuctionTopic)!, config.GetString(DatagenConfig.NexmarkBidTopic)!]
            : [config.GetString(DatagenConfig.KafkaTopic)!];
}
