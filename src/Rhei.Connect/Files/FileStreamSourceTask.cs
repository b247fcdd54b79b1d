using System.Text;
using Rhei.Connect.Data;
using Rhei.Connect.Plugins;
using Rhei.Formats.Types;

namespace Rhei.Connect.Files;

/// <summary>
/// Reads complete lines appended to a file; the offset is the byte position after the last line written, so a restart
/// goes on from there. A missing file is waited for (like Kafka's FileStreamSource).
/// </summary>
public sealed class FileStreamSourceTask : SourceTask
{
    private string _path = "";
    private string _topic = "";
    private int _batchSize;
    private TimeSpan _pollInterval;
    private long _position;
    private TimeProvider _time = TimeProvider.System;
    private IReadOnlyDictionary<string, object?> _partition = new Dictionary<string, object?>();

    public override ValueTask StartAsync(IReadOnlyDictionary<string, string> config, SourceTaskContext context, CancellationToken cancellationToken)
    {
        var parsed = FileStreamConfig.SourceDefinition.Parse(config).ThrowIfInvalid(context.ConnectorName);
        _path = parsed.GetString(FileStreamConfig.File)!;
        _topic = parsed.GetString(FileStreamConfig.Topic)!;
        _batchSize = parsed.GetInt(FileStreamConfig.BatchSize);
        _pollInterval = TimeSpan.FromMilliseconds(parsed.GetInt(FileStreamConfig.PollInterval));
        _time = context.TimeProvider;
        _partition = new Dictionary<string, object?> { ["filename"] = _path };
        var offset = context.Offset(_partition);
        _position = offset is not null && offset.TryGetValue("position", out var p) && p is not null ? Convert.ToInt64(p, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken)
    {
        var records = new List<SourceRecord>();
        if (File.Exists(_path))
        {
            await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _position)
            {
                _position = 0; // truncated or replaced: start again
            }

            stream.Seek(_position, SeekOrigin.Begin);
            var buffer = new byte[64 * 1024];
            var pending = new List<byte>();
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            int read;
            while (records.Count < _batchSize && (read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                for (var i = 0; i < read && records.Count < _batchSize; i++)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        var lineBytes = pending.ToArray();
                        _position += lineBytes.Length + 1;
                        pending.Clear();
                        var line = Encoding.UTF8.GetString(lineBytes).TrimEnd('\r');
                        records.Add(new SourceRecord(_partition, new Dictionary<string, object?> { ["position"] = _position }, _topic, null, null, null, SqlTypes.String, line, now));
                    }
                    else
                    {
                        pending.Add(buffer[i]);
                    }
                }
            }
        }

        if (records.Count == 0)
        {
            await Task.Delay(_pollInterval, _time, cancellationToken);
        }

        return records;
    }
}
