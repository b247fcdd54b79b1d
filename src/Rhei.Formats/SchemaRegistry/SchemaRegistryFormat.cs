using System.Globalization;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// A format whose schemas live in a schema registry (AVRO, PROTOBUF, JSON_SR). Besides serdes it offers the
/// statement-time operations the engine needs: schema inference (<see cref="InferAsync"/>), registration of a sink's
/// schema (<see cref="RegisterAsync"/>) and the check of a SQL schema against KEY_/VALUE_SCHEMA_ID
/// (<see cref="FindSchemaIdMismatch"/>). Subjects follow the TopicNameStrategy (<c>topic-key</c>, <c>topic-value</c>).
/// A serializer writes with the schema of the <see cref="FormatPropertyNames.SchemaId"/> property when set, else with
/// the schema generated from the SQL schema, which must have been registered (by <see cref="RegisterAsync"/>).
/// </summary>
public abstract class SchemaRegistryFormat : SerdeFormat
{
    private readonly SchemaRegistryClient? _client;

    protected SchemaRegistryFormat(string name, SchemaRegistryClient? client)
        : base(name)
    {
        _client = client;
    }

    /// <exception cref="FormatValidationException">No registry is configured.</exception>
    public SchemaRegistryClient Client => _client ?? throw new FormatValidationException(
        $"The {Name} format requires a schema registry: set 'ksql.schema.registry.url' or run the embedded registry.");

    public bool HasClient => _client is not null;

    public override bool RequiresSchemaRegistry => true;

    public abstract SchemaType SchemaType { get; }

    /// <summary>The format schema ksqlDB would register for a SQL key or value schema.</summary>
    public abstract SchemaDefinition ToDefinition(SerdeSchema schema, SerdeOptions options);

    /// <summary>The columns a registered schema gives (schema inference).</summary>
    /// <param name="unwrapped">Read the whole schema as one column (named ROWKEY / ROWVAL).</param>
    /// <param name="preserveNames">Keep field names as they are (with a schema id); otherwise upper-case them, as ksqlDB does.</param>
    /// <exception cref="FormatValidationException">The schema has types SQL cannot represent.</exception>
    public abstract SerdeSchema ToColumns(ParsedSchema schema, SerdeTarget target, bool unwrapped, bool preserveNames, string? fullSchemaName);

    /// <summary>
    /// Infers the columns of a topic's keys or values from the registry: from the schema with
    /// <paramref name="schemaId"/> when given (names kept as they are), else from the latest version of the subject.
    /// A key is read as one column (ROWKEY) when the format can unwrap it; a value when
    /// <paramref name="wrapSingleValue"/> is false (ROWVAL).
    /// </summary>
    /// <exception cref="FormatValidationException">No schema, a schema of another type, or unsupported types (ksqlDB's texts).</exception>
    public async ValueTask<InferredSchema> InferAsync(
        string topic,
        SerdeTarget target,
        bool? wrapSingleValue = null,
        int? schemaId = null,
        string? fullSchemaName = null,
        CancellationToken cancellationToken = default)
    {
        var subject = SchemaRegistryClient.Subject(topic, target == SerdeTarget.Key);
        var what = target == SerdeTarget.Key ? "keys" : "values";
        SchemaDefinition definition;
        int id;
        if (schemaId is { } wanted)
        {
            try
            {
                definition = Client.GetSchemaById(wanted);
            }
            catch (SchemaRegistryException e) when (e.Status == 404)
            {
                throw new FormatValidationException(
                    $"Schema with id {wanted} for message {what} on topic '{topic}' does not exist in the Schema Registry.");
            }

            id = wanted;
        }
        else
        {
            var latest = await Client.GetLatestAsync(subject, cancellationToken) ?? throw NotFound(topic, what, subject);
            definition = latest.Definition;
            id = latest.Id;
        }

        if (definition.Type != SchemaType)
        {
            var which = target == SerdeTarget.Key ? "KEY" : "VALUE";
            throw new FormatValidationException(
                $"The schema of {what} on topic '{topic}' (subject '{subject}', id {id}) is a {definition.Type.Name()} schema, which the {Name} format cannot read. Set {which}_FORMAT to a format for {definition.Type.Name()} schemas.");
        }

        var parsed = Client.GetParsedSchema(id);
        var unwrapped = target == SerdeTarget.Key ? Supports(SerdeFeatures.UnwrapSingles) : wrapSingleValue == false;
        SerdeSchema columns;
        try
        {
            columns = ToColumns(parsed, target, unwrapped, preserveNames: schemaId is not null, fullSchemaName);
        }
        catch (KeyNotFoundException)
        {
            throw NotFound(topic, what, subject);
        }

        return new InferredSchema(columns, id, definition);
    }

    /// <summary>
    /// Registers the schema of a sink's keys or values (CREATE ... AS SELECT, or CREATE with columns) under
    /// <c>topic-key</c>/<c>topic-value</c> and returns it; with <see cref="FormatPropertyNames.SchemaId"/> set, checks
    /// the SQL schema against that schema instead (nothing is registered).
    /// </summary>
    /// <exception cref="FormatValidationException">The subject's compatibility rule rejects the schema (the message names the subject, the rule and the problems).</exception>
    public async ValueTask<RegisteredSchema> RegisterAsync(string topic, SerdeSchema schema, SerdeOptions options, CancellationToken cancellationToken = default)
    {
        var subject = SchemaRegistryClient.Subject(topic, options.Target == SerdeTarget.Key);
        if (SchemaIdOf(options) is { } id)
        {
            if (FindSchemaIdMismatch(schema, id, options) is { } mismatch)
            {
                throw new FormatValidationException(mismatch);
            }

            return new RegisteredSchema(subject, 0, id, Client.GetSchemaById(id));
        }

        var definition = ToDefinition(schema, options);
        try
        {
            return await Client.RegisterAsync(subject, definition, cancellationToken);
        }
        catch (SchemaRegistryException e) when (e.Status == 409)
        {
            var level = await Client.GetCompatibilityAsync(subject, cancellationToken);
            throw new FormatValidationException(
                $"Could not register the {options.TargetName} schema of topic '{topic}' in subject '{subject}': the schema is incompatible with the subject's registered schema under its {level.Name()} compatibility rule. {e.Message}\n" +
                $"Change the query so the schema evolves compatibly, set the subject's compatibility (PUT /config/{subject}), or write to a new topic.");
        }
        catch (SchemaRegistryException e)
        {
            throw new FormatValidationException($"Could not register the {options.TargetName} schema of topic '{topic}' in subject '{subject}': {e.Message}");
        }
    }

    /// <summary>
    /// Checks that a SQL schema can be written with the schema of <paramref name="schemaId"/>: each SQL column must be
    /// the registered schema's column at the same position, with the same name and type (further registered fields are
    /// allowed). Returns ksqlDB's message (<c>The following value columns are changed, missing or reordered: [...].
    /// Schema from schema registry is [...]</c>) or null.
    /// </summary>
    public string? FindSchemaIdMismatch(SerdeSchema schema, int schemaId, SerdeOptions options)
    {
        var parsed = Client.GetParsedSchema(schemaId);
        var unwrapped = schema.Count == 1 && options.UnwrapSingle;
        SerdeSchema registered;
        try
        {
            registered = ToColumns(parsed, options.Target, unwrapped, preserveNames: true, options.GetProperty(FormatPropertyNames.FullSchemaName));
        }
        catch (KeyNotFoundException e)
        {
            return e.Message;
        }

        if (unwrapped)
        {
            return registered.Count == 1 && registered[0].Type.Equals(schema[0].Type)
                ? null
                : $"The following {options.TargetName} columns are changed, missing or reordered: [{Describe(schema[0])}]. Schema from schema registry is [{string.Join(", ", registered.Select(Describe))}]";
        }

        var bad = new List<SerdeColumn>();
        for (var i = 0; i < schema.Count; i++)
        {
            if (i >= registered.Count || registered[i].Name != schema[i].Name || !registered[i].Type.Equals(schema[i].Type))
            {
                bad.Add(schema[i]);
            }
        }

        return bad.Count == 0
            ? null
            : $"The following {options.TargetName} columns are changed, missing or reordered: [{string.Join(", ", bad.Select(Describe))}]. Schema from schema registry is [{string.Join(", ", registered.Select(Describe))}]";
    }

    /// <summary>The schema id of the options (<see cref="FormatPropertyNames.SchemaId"/>), or null.</summary>
    public static int? SchemaIdOf(SerdeOptions options) =>
        options.GetProperty(FormatPropertyNames.SchemaId) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>
    /// The schema a serializer writes with: the schema of the options' id, or the one generated from the SQL schema,
    /// looked up in the subject (it must be registered).
    /// </summary>
    protected (int Id, ParsedSchema Schema) ResolveWriterSchema(SerdeSchema schema, SerdeOptions options)
    {
        if (SchemaIdOf(options) is { } id)
        {
            try
            {
                return (id, Client.GetParsedSchema(id));
            }
            catch (SchemaRegistryException e)
            {
                throw new FormatValidationException($"The {options.TargetName} schema id {id} of topic '{options.Topic}' cannot be used: {e.Message}");
            }
        }

        var definition = ToDefinition(schema, options);
        var subject = SchemaRegistryClient.Subject(options.Topic, options.Target == SerdeTarget.Key);
        var found = Client.TryLookup(subject, definition) ?? throw new FormatValidationException(
            $"The {options.TargetName} schema of topic '{options.Topic}' is not registered in subject '{subject}'. Register it first (SchemaRegistryFormat.RegisterAsync), or set {(options.Target == SerdeTarget.Key ? "KEY" : "VALUE")}_SCHEMA_ID.\nschema: {definition.Schema}");
        return (found.Id, Client.GetParsedSchema(found.Id));
    }

    protected override void CheckProperties(IReadOnlyDictionary<string, string> properties)
    {
        foreach (var (name, value) in properties)
        {
            if (string.Equals(name, FormatPropertyNames.FullSchemaName, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(value))
            {
                throw new FormatValidationException($"fullSchemaName cannot be empty. Format configuration: {{fullSchemaName={value.Trim()}}}");
            }

            if (string.Equals(name, FormatPropertyNames.SchemaId, StringComparison.OrdinalIgnoreCase) &&
                !(int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id > 0))
            {
                throw new FormatValidationException($"Invalid schema id '{value}': a schema id is a positive integer.");
            }
        }
    }

    /// <summary>The column name ksqlDB gives an unwrapped key or value read from a registry schema.</summary>
    protected static string SingleColumnName(SerdeTarget target) => target == SerdeTarget.Key ? "ROWKEY" : "ROWVAL";

    private static FormatValidationException NotFound(string topic, string what, string subject) => new(
        $"Schema for message {what} on topic '{topic}' does not exist in the Schema Registry.\nSubject: {subject}\n\n" +
        "Possible causes include:\n" +
        "- The topic itself does not exist\n\t-> Use SHOW TOPICS; to check\n" +
        $"- Messages on the topic are not serialized using a format Schema Registry supports\n\t-> Use PRINT '{topic}' FROM BEGINNING; to verify\n" +
        "- Messages on the topic have not been serialized using a Confluent Schema Registry supported serializer\n" +
        "- The schema is registered on a different instance of the Schema Registry\n\t-> Use the REST API to list available subjects (GET /subjects)");

    private static string Describe(SerdeColumn c) => $"`{c.Name}` {c.Type}";

    /// <summary>Names of type problems for messages: <c>DECIMAL</c> etc.</summary>
    protected static string TypeName(SqlType t) => t.BaseType.SqlName();
}
