using Rhei.Connect.Config;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Files;

/// <summary>Lines of a file to records (<c>org.apache.kafka.connect.file.FileStreamSourceConnector</c>). One task.</summary>
public sealed class FileStreamSourceConnector : Connector
{
    public override ConnectorKind Kind => ConnectorKind.Source;

    public override ConfigDef ConfigDef => FileStreamConfig.SourceDefinition;

    public override ValueTask<IReadOnlyList<IReadOnlyDictionary<string, string>>> TaskConfigsAsync(ConnectorContext context, ParsedConfig config, int maxTasks, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<IReadOnlyDictionary<string, string>>>([TaskConfig(config)]);

    public override object CreateTask() => new FileStreamSourceTask();

    public override IReadOnlyList<string> ConfiguredTopics(ParsedConfig config) => [config.GetString(FileStreamConfig.Topic)!];
}

/// <summary>Records to lines of a file (<c>org.apache.kafka.connect.file.FileStreamSinkConnector</c>).</summary>
public sealed class FileStreamSinkConnector : Connector
{
    public override ConnectorKind Kind => ConnectorKind.Sink;

    public override ConfigDef ConfigDef => FileStreamConfig.SinkDefinition;

    public override ValueTask<IReadOnlyList<IReadOnlyDictionary<string, string>>> TaskConfigsAsync(ConnectorContext context, ParsedConfig config, int maxTasks, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<IReadOnlyDictionary<string, string>>>([TaskConfig(config)]);

    public override object CreateTask() => new FileStreamSinkTask();

    public override IReadOnlyList<string> ConfiguredTopics(ParsedConfig config) => config.GetList(FileStreamConfig.Topics);
}
