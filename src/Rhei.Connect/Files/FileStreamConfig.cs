using Rhei.Connect.Config;

namespace Rhei.Connect.Files;

/// <summary>The file connectors' properties (Kafka's FileStreamSource and FileStreamSink).</summary>
public static class FileStreamConfig
{
    public const string File = "file";
    public const string Topic = "topic";
    public const string Topics = "topics";
    public const string BatchSize = "batch.size";
    public const string PollInterval = "poll.interval.ms";

    public static ConfigDef SourceDefinition { get; } = new ConfigDef()
        .DefineRequired(File, ConfigType.String, ConfigImportance.High, "The file to read; each new line becomes a record (STRING value).", ConfigValidators.NonEmptyString())
        .DefineRequired(Topic, ConfigType.String, ConfigImportance.High, "The topic to write.", ConfigValidators.NonEmptyString())
        .Define(BatchSize, ConfigType.Int, 2000, ConfigImportance.Low, "The most lines per poll.", ConfigValidators.AtLeast(1))
        .Define(PollInterval, ConfigType.Int, 1000, ConfigImportance.Low, "How often (ms) the file is checked for new lines.", ConfigValidators.AtLeast(1));

    public static ConfigDef SinkDefinition { get; } = new ConfigDef()
        .DefineRequired(File, ConfigType.String, ConfigImportance.High, "The file to append each record's value to, one line each.", ConfigValidators.NonEmptyString())
        .DefineRequired(Topics, ConfigType.List, ConfigImportance.High, "The topics to read.");
}
