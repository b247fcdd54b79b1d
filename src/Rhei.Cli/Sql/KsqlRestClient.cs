using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Rhei.Server.Rest.Entities;
using Rhei.Server.Rest.Json;

namespace Rhei.Cli.Sql;

/// <summary>
/// A client of ksqlDB's REST API (Rhei's or ksqlDB's own): statements through <c>/ksql</c>, queries through
/// <c>/query-stream</c> (newline-delimited rows), <c>/close-query</c> and <c>/info</c>.
/// </summary>
public sealed class KsqlRestClient : IDisposable
{
    private readonly HttpClient _http;

    public KsqlRestClient(Uri server, TimeSpan? requestTimeout = null)
    {
        Server = server;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = server,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        RequestTimeout = requestTimeout ?? TimeSpan.FromMinutes(2);
    }

    public Uri Server { get; }

    /// <summary>How long a statement (not a query) may take before the CLI gives up waiting.</summary>
    public TimeSpan RequestTimeout { get; set; }

    /// <summary>The server's <c>/info</c>.</summary>
    /// <exception cref="HttpRequestException">The server cannot be reached or answered with an error.</exception>
    public async Task<ServerInfo> GetServerInfoAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await _http.GetAsync("info", timeout.Token);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{Server}info answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        return JsonSerializer.Deserialize(body, RestJsonContext.Default.ServerInfoResponse)?.KsqlServerInfo
            ?? throw new HttpRequestException($"{Server}info answered with no KsqlServerInfo.");
    }

    /// <summary>Runs statements through <c>/ksql</c>: the entities, or the server's error.</summary>
    public async Task<RestResult<IReadOnlyList<KsqlEntity>>> ExecuteAsync(
        string ksql, IReadOnlyDictionary<string, string> properties, IReadOnlyDictionary<string, string> variables,
        CancellationToken cancellationToken)
    {
        var body = WriteJson(w =>
        {
            w.WriteString("ksql", ksql);
            WriteMap(w, "streamsProperties", properties);
            WriteMap(w, "sessionVariables", variables);
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "ksql") { Content = JsonContent(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.ksql.v1+json"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await _http.SendAsync(request, timeout.Token);
        var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            return RestResult.Failed<IReadOnlyList<KsqlEntity>>(ReadError(response.StatusCode, bytes), bytes);
        }

        var entities = JsonSerializer.Deserialize(bytes, RestJsonContext.Default.ListKsqlEntity) ?? [];
        return RestResult.Ok<IReadOnlyList<KsqlEntity>>(entities, bytes);
    }

    /// <summary>
    /// Starts a pull or push query on <c>/query-stream</c>. The result's rows stream until the query ends or
    /// <paramref name="cancellationToken"/> is cancelled (which closes the query on the server).
    /// </summary>
    public async Task<RestResult<StreamedQuery>> StreamQueryAsync(
        string sql, IReadOnlyDictionary<string, string> properties, IReadOnlyDictionary<string, string> variables,
        CancellationToken cancellationToken)
    {
        var body = WriteJson(w =>
        {
            w.WriteString("sql", sql);
            WriteMap(w, "properties", properties);
            WriteMap(w, "sessionVariables", variables);
        });
        var request = new HttpRequestMessage(HttpMethod.Post, "query-stream") { Content = JsonContent(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.ksqlapi.delimited.v1"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        finally
        {
            request.Dispose();
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                return RestResult.Failed<StreamedQuery>(ReadError(response.StatusCode, bytes), bytes);
            }
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var reader = new StreamReader(stream, Encoding.UTF8);
        var headerLine = await reader.ReadLineAsync(cancellationToken);
        if (headerLine is null)
        {
            response.Dispose();
            return RestResult.Failed<StreamedQuery>(new KsqlErrorMessage { ErrorCode = 50000, Message = "The server ended the query stream before its header." }, []);
        }

        using var header = JsonDocument.Parse(headerLine);
        var root = header.RootElement;
        if (root.TryGetProperty("error_code", out _))
        {
            response.Dispose();
            return RestResult.Failed<StreamedQuery>(ReadError(response.StatusCode, Encoding.UTF8.GetBytes(headerLine)), []);
        }

        var queryId = root.TryGetProperty("queryId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        var names = root.TryGetProperty("columnNames", out var n) ? n.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
        var types = root.TryGetProperty("columnTypes", out var t) ? t.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
        return RestResult.Ok<StreamedQuery>(new StreamedQuery(this, response, reader, queryId, names, types, headerLine), []);
    }

    /// <summary>Asks the server to close a push query (<c>/close-query</c>); false when it does not know the query.</summary>
    public async Task<bool> CloseQueryAsync(string queryId, CancellationToken cancellationToken)
    {
        var body = WriteJson(w => w.WriteString("queryId", queryId));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var response = await _http.PostAsync("close-query", JsonContent(body), timeout.Token);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => _http.Dispose();

    private static KsqlErrorMessage ReadError(HttpStatusCode status, byte[] body)
    {
        try
        {
            var error = JsonSerializer.Deserialize(body, RestJsonContext.Default.KsqlErrorMessage);
            if (error is not null && (error.ErrorCode != 0 || error.Message.Length > 0))
            {
                return error;
            }
        }
        catch (JsonException)
        {
        }

        return new KsqlErrorMessage
        {
            ErrorCode = (int)status * 100,
            Message = $"The server answered {(int)status} {status}: {Encoding.UTF8.GetString(body)}".TrimEnd(' ', ':'),
        };
    }

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> values)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    internal static async IAsyncEnumerable<JsonElement> ReadRowsAsync(StreamReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            yield return document.RootElement.Clone();
        }
    }
}

/// <summary>The outcome of a REST call: a value, or the server's error entity. <see cref="Raw"/> is the response body.</summary>
public sealed record RestResult<T>(T? Value, KsqlErrorMessage? Error, byte[] Raw)
{
    public bool IsOk => Error is null;
}

/// <summary>Makes <see cref="RestResult{T}"/>s.</summary>
public static class RestResult
{
    public static RestResult<T> Ok<T>(T value, byte[] raw) => new(value, null, raw);

    public static RestResult<T> Failed<T>(KsqlErrorMessage error, byte[] raw) => new(default, error, raw);
}

/// <summary>
/// A query running on the server: its id (push queries), columns, and the rows as they come — each a JSON array of
/// values, or an error object if the query failed midway. Dispose to stop reading (and close the connection).
/// </summary>
public sealed class StreamedQuery(
    KsqlRestClient client, HttpResponseMessage response, StreamReader reader, string? queryId,
    IReadOnlyList<string> columnNames, IReadOnlyList<string> columnTypes, string headerJson) : IAsyncDisposable
{
    public string? QueryId { get; } = queryId;

    public IReadOnlyList<string> ColumnNames { get; } = columnNames;

    public IReadOnlyList<string> ColumnTypes { get; } = columnTypes;

    /// <summary>The header line as the server sent it.</summary>
    public string HeaderJson { get; } = headerJson;

    public IAsyncEnumerable<JsonElement> ReadRowsAsync(CancellationToken cancellationToken) =>
        KsqlRestClient.ReadRowsAsync(reader, cancellationToken);

    /// <summary>Tells the server to close the query (push queries), then drops the connection.</summary>
    public async Task CloseAsync()
    {
        if (QueryId is not null)
        {
            try
            {
                await client.CloseQueryAsync(QueryId, CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // Dropping the connection below closes it too.
            }
        }

        await DisposeAsync();
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
