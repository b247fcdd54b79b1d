using System.Buffers;
using System.Text.Json;

namespace Rhei.Streams;

/// <summary>
/// One entry of the processing log, with ksqlDB's structure: logger, level, time, and a message whose
/// <c>type</c> selects which of the error structs is set. <see cref="ToJson"/> writes it as ksqlDB writes it
/// to the processing-log topic; the source partition and offset are added to the error struct.
/// </summary>
public sealed record ProcessingLogEntry(string Logger, string Level, long Time, ProcessingError Error)
{
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("level", Level);
            w.WriteString("logger", Logger);
            w.WriteNumber("time", Time);
            w.WriteStartObject("message");
            w.WriteNumber("type", (int)Error.Type);
            WriteError(w, "deserializationError", ProcessingErrorType.DeserializationError);
            WriteError(w, "recordProcessingError", ProcessingErrorType.RecordProcessingError);
            WriteError(w, "productionError", ProcessingErrorType.ProductionError);
            WriteError(w, "serializationError", ProcessingErrorType.SerializationError);
            w.WriteNull("kafkaStreamsThreadError");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteError(Utf8JsonWriter w, string name, ProcessingErrorType type)
    {
        if (Error.Type != type)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        if (type is ProcessingErrorType.DeserializationError or ProcessingErrorType.SerializationError)
        {
            w.WriteString("target", Error.Target ?? "value");
        }

        w.WriteString("errorMessage", Error.Message);
        if (type == ProcessingErrorType.DeserializationError)
        {
            var raw = Error.Target == "key" ? Error.RawKey : Error.RawValue;
            if (raw is null) { w.WriteNull("recordB64"); } else { w.WriteString("recordB64", Convert.ToBase64String(raw)); }
        }

        if (type is ProcessingErrorType.RecordProcessingError or ProcessingErrorType.SerializationError)
        {
            if (Error.Record is null) { w.WriteNull("record"); } else { w.WriteString("record", Error.Record); }
        }

        if (type != ProcessingErrorType.ProductionError)
        {
            w.WriteStartArray("cause");
            for (var e = Error.Exception.InnerException; e is not null; e = e.InnerException)
            {
                w.WriteStringValue(e.Message);
            }

            w.WriteEndArray();
        }

        if (type is ProcessingErrorType.DeserializationError or ProcessingErrorType.SerializationError or ProcessingErrorType.RecordProcessingError)
        {
            if (Error.Topic is null) { w.WriteNull("topic"); } else { w.WriteString("topic", Error.Topic); }
            w.WriteNumber("partition", Error.Partition);
            w.WriteNumber("offset", Error.Offset);
        }

        w.WriteEndObject();
    }
}
