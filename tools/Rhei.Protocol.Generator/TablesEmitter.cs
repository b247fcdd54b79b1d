namespace Rhei.Protocol.Generator;

/// <summary>Emits the API-wide files: the ApiKey enum, the advertised version table and the dispatch helpers.</summary>
internal static class TablesEmitter
{
    public static string EmitApiKey(IReadOnlyList<MessageSpec> requests)
    {
        var w = new CodeWriter();
        GeneratedFiles.WriteHeader(w, "the apiKey of every request in Apache Kafka's message specs");
        w.Line("namespace Rhei.Protocol;");
        w.Line();
        w.Line("/// <summary>Kafka API keys (the first field of every request header).</summary>");
        w.Open("public enum ApiKey : short");
        foreach (var spec in requests.OrderBy(s => s.ApiKey))
        {
            w.Line($"{ApiName(spec)} = {spec.ApiKey},");
        }
        w.Close();
        return w.ToString();
    }

    public static string EmitVersionsTable(IReadOnlyList<(string Name, short Min, short Max, MessageSpec Request)> served)
    {
        var w = new CodeWriter();
        GeneratedFiles.WriteHeader(w, "the served-API table in tools/Rhei.Protocol.Generator/ServedApis.cs");
        w.Line("namespace Rhei.Protocol.Messages;");
        w.Line();
        w.Line("/// <summary>The APIs and versions Rhei serves: what the broker advertises in ApiVersions.</summary>");
        w.Open("public static class ApiVersionsTable");
        var ordered = served.OrderBy(a => a.Request.ApiKey).ToList();
        w.Line("/// <summary>Every served API, by api key.</summary>");
        w.Open("public static IReadOnlyList<ApiVersionRange> All { get; } = Array.AsReadOnly(new ApiVersionRange[]");
        foreach (var api in ordered)
        {
            w.Line($"new(ApiKey.{api.Name}, {api.Min}, {api.Max}),");
        }
        w.Close(");");
        w.Line();
        w.Line("/// <summary>The advertised range of <paramref name=\"apiKey\"/>, if Rhei serves it.</summary>");
        w.Open("public static bool TryGetRange(ApiKey apiKey, out ApiVersionRange range)");
        w.Open("switch (apiKey)");
        foreach (var api in ordered)
        {
            w.Line($"case ApiKey.{api.Name}:");
            w.Line($"    range = new(ApiKey.{api.Name}, {api.Min}, {api.Max});");
            w.Line("    return true;");
        }
        w.Line("default:");
        w.Line("    range = default;");
        w.Line("    return false;");
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <summary>True when <paramref name=\"apiVersion\"/> of <paramref name=\"apiKey\"/> is in the advertised range.</summary>");
        w.Open("public static bool IsSupported(ApiKey apiKey, short apiVersion) => apiKey switch");
        foreach (var api in ordered)
        {
            w.Line(api.Min == 0
                ? $"ApiKey.{api.Name} => apiVersion >= 0 && apiVersion <= {api.Max},"
                : $"ApiKey.{api.Name} => apiVersion >= {api.Min} && apiVersion <= {api.Max},");
        }
        w.Line("_ => false,");
        w.Close(";");
        w.Close();
        return w.ToString();
    }

    public static string EmitApiMessages(
        IReadOnlyList<(MessageSpec Request, MessageSpec Response)> allApis,
        IReadOnlyList<(string Name, short Min, short Max, MessageSpec Request)> served)
    {
        var w = new CodeWriter();
        GeneratedFiles.WriteHeader(w, "Apache Kafka's message specs (flexibleVersions of every API) and the served-API table");
        w.Line("namespace Rhei.Protocol.Messages;");
        w.Line();
        w.Line("/// <summary>Header versions of every API and reading of the served request and response bodies.</summary>");
        w.Open("public static class ApiMessages");

        w.Line("/// <summary>");
        w.Line("/// The request header version for a request of <paramref name=\"apiKey\"/> at <paramref name=\"apiVersion\"/>:");
        w.Line("/// 2 for flexible versions, else 1 (0 for ControlledShutdown v0); -1 for an api key no spec defines.");
        w.Line("/// </summary>");
        w.Open("public static short RequestHeaderVersion(ApiKey apiKey, short apiVersion) => apiKey switch");
        foreach (var (request, _) in allApis.OrderBy(a => a.Request.ApiKey))
        {
            var name = ApiName(request);
            var expression = HeaderExpression(request.FlexibleVersions, "2", "1");
            if (name == "ControlledShutdown")
            {
                expression = $"apiVersion == 0 ? (short)0 : {expression}";
            }
            w.Line($"ApiKey.{name} => {expression},");
        }
        w.Line("_ => -1,");
        w.Close(";");
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// The response header version: 1 for flexible versions, else 0; always 0 for ApiVersions (so a client");
        w.Line("/// can read the answer whatever version it asked for); -1 for an api key no spec defines.");
        w.Line("/// </summary>");
        w.Open("public static short ResponseHeaderVersion(ApiKey apiKey, short apiVersion) => apiKey switch");
        foreach (var (request, response) in allApis.OrderBy(a => a.Request.ApiKey))
        {
            var name = ApiName(request);
            var expression = name == "ApiVersions" ? "0" : HeaderExpression(response.FlexibleVersions, "1", "0");
            w.Line($"ApiKey.{name} => {expression},");
        }
        w.Line("_ => -1,");
        w.Close(";");
        w.Line();

        var ordered = served.OrderBy(a => a.Request.ApiKey).ToList();
        w.Line("/// <summary>");
        w.Line("/// Reads the body of a request of a served API at a served version; throws");
        w.Line("/// <see cref=\"NotSupportedException\"/> otherwise (check <see cref=\"ApiVersionsTable.IsSupported\"/> first).");
        w.Line("/// </summary>");
        w.Open("public static IRequestMessage ReadRequest(ApiKey apiKey, short apiVersion, ref ProtocolReader reader) => apiKey switch");
        foreach (var api in ordered)
        {
            w.Line($"ApiKey.{api.Name} => {api.Name}Request.Read(ref reader, apiVersion),");
        }
        w.Line("_ => throw ProtocolErrors.UnsupportedApi(apiKey),");
        w.Close(";");
        w.Line();
        w.Line("/// <summary>Reads the body of a response of a served API at a served version.</summary>");
        w.Open("public static IResponseMessage ReadResponse(ApiKey apiKey, short apiVersion, ref ProtocolReader reader) => apiKey switch");
        foreach (var api in ordered)
        {
            w.Line($"ApiKey.{api.Name} => {api.Name}Response.Read(ref reader, apiVersion),");
        }
        w.Line("_ => throw ProtocolErrors.UnsupportedApi(apiKey),");
        w.Close(";");
        w.Close();
        return w.ToString();
    }

    public static string ApiName(MessageSpec request) =>
        request.Name.EndsWith("Request", StringComparison.Ordinal) ? request.Name[..^"Request".Length] : request.Name;

    private static string HeaderExpression(VersionRange flexible, string whenFlexible, string otherwise)
    {
        if (flexible.IsEmpty)
        {
            return otherwise;
        }
        if (flexible.Lo == 0 && flexible.IsOpenEnded)
        {
            return whenFlexible;
        }
        if (!flexible.IsOpenEnded)
        {
            throw new InvalidDataException($"Flexible versions {flexible} are not open-ended.");
        }
        return $"apiVersion >= {flexible.Lo} ? (short){whenFlexible} : (short){otherwise}";
    }
}
