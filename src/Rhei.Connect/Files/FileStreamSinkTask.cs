using System.Text;
using Rhei.Connect.Data;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Files;

/// <summary>Appends each record's value as a line of text (a struct as <c>Struct{...}</c>, as Kafka's FileStreamSink prints it).</summary>
public sealed class FileStreamSinkTask : SinkTask
{
    private string _path = "";

    public override ValueTask StartAsync(IReadOnlyDictionary<string, string> config, SinkTaskContext context, CancellationToken cancellationToken)
    {
        var parsed = FileStreamConfig.SinkDefinition.Parse(config).ThrowIfInvalid(context.ConnectorName);
        _path = parsed.GetString(FileStreamConfig.File)!;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var r in records)
        {
            text.Append(ConnectText.Format(r.Value)).Append('\n');
        }

        await using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
