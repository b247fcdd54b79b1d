using Rhei.Engine.Entities;
using Rhei.Engine.Topics;
using Rhei.Sql.Planning;

namespace Rhei.Engine.Tests;

public class DdlTests
{
    private static async Task<RheiEngine> WithTopicsAsync(params (string Name, int Partitions)[] topics)
    {
        var client = new InMemoryTopicClient();
        foreach (var (name, partitions) in topics)
        {
            await client.CreateAsync(name, partitions, 1, new Dictionary<string, string>());
        }

        return EngineFixture.InMemory(client);
    }

    [Fact]
    public async Task Create_stream_registers_its_schema_and_formats()
    {
        await using var engine = await WithTopicsAsync(("orders", 3));
        var results = await engine.ExecuteAsync("CREATE STREAM ORDERS (ID BIGINT KEY, ITEM STRING, PRICE DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');");
        var status = Assert.IsType<CommandStatusEntity>(Assert.Single(results));
        Assert.Equal("Stream created", status.Message);
        var source = engine.MetaStore.GetSource("ORDERS")!;
        Assert.Equal("`ID` BIGINT KEY, `ITEM` STRING, `PRICE` DOUBLE", source.Schema.ToString());
        Assert.Equal("KAFKA", source.Topic.KeyFormat.Name);
        Assert.Equal("JSON", source.Topic.ValueFormat.Name);
    }

    [Fact]
    public async Task Create_table_without_primary_key_fails_with_ksqlDB_message()
    {
        await using var engine = await WithTopicsAsync(("t", 1));
        var e = await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync("CREATE TABLE T (ID INT, V STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');"));
        Assert.Equal("Tables require a PRIMARY KEY. Please define the PRIMARY KEY.", e.Message);
    }

    [Fact]
    public async Task Key_constraint_of_the_wrong_kind_is_a_parse_failure_with_its_position()
    {
        await using var engine = await WithTopicsAsync(("t", 1));
        var e = await Assert.ThrowsAsync<KsqlParseFailedException>(() => engine.ExecuteAsync("CREATE TABLE INPUT (ID INT KEY, NAME STRING) WITH (kafka_topic='t',value_format='JSON');"));
        Assert.StartsWith("Line: 1, Col: 21: Column `ID` is a 'KEY' column: please use 'PRIMARY KEY' for tables.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_topic_needs_partitions_and_partitions_create_it()
    {
        var topics = new InMemoryTopicClient();
        await using var engine = EngineFixture.InMemory(topics);
        var e = await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"));
        Assert.Contains("Topic 's' does not exist", e.Message, StringComparison.Ordinal);
        await engine.ExecuteAsync("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=4);");
        Assert.Equal(4, (await topics.DescribeAsync("s"))!.Partitions);
    }

    [Fact]
    public async Task Unknown_format_and_bad_delimiter_use_ksqlDB_messages()
    {
        await using var engine = await WithTopicsAsync(("t", 1));
        var e1 = await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='FOO');"));
        Assert.Equal("Unknown format: FOO", e1.Message);
        var e2 = await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='DELIMITED', VALUE_DELIMITER='<~>');"));
        Assert.StartsWith("Failed to prepare statement: Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'.", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_source_fails_unless_if_not_exists()
    {
        await using var engine = await WithTopicsAsync(("t", 1));
        const string create = "CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');";
        await engine.ExecuteAsync(create);
        var e = await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync(create));
        Assert.Equal("Cannot add stream 'S': A stream with the same name already exists", e.Message);
        await engine.ExecuteAsync("CREATE STREAM IF NOT EXISTS S (A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');");
    }

    [Fact]
    public async Task Custom_types_resolve_in_columns_and_list()
    {
        await using var engine = await WithTopicsAsync(("t", 1));
        await engine.ExecuteAsync("CREATE TYPE ADDRESS AS STRUCT<number INTEGER, street VARCHAR>; CREATE STREAM S (K STRING KEY, A ADDRESS) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');");
        Assert.Equal("`K` STRING KEY, `A` STRUCT<`NUMBER` INTEGER, `STREET` STRING>", engine.MetaStore.GetSource("S")!.Schema.ToString());
        var types = Assert.IsType<TypeListEntity>(Assert.Single(await engine.ExecuteAsync("SHOW TYPES;")));
        Assert.Equal("STRUCT<`NUMBER` INTEGER, `STREET` STRING>", types.Types["ADDRESS"]);
    }

    [Fact]
    public async Task Source_streams_are_read_only()
    {
        await using var engine = await WithTopicsAsync(("t", 1));
        await engine.ExecuteAsync("CREATE SOURCE STREAM S (K STRING KEY, A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');");
        var e = await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync("DROP STREAM S DELETE TOPIC;"));
        Assert.Equal("Cannot delete topic for read-only source: S", e.Message);
        var alter = await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync("ALTER STREAM S ADD COLUMN B INT;"));
        Assert.Equal("Cannot alter stream 'S': ALTER operations are not supported on source streams.", alter.Message);
    }

    [Fact]
    public async Task Alter_adds_value_columns()
    {
        await using var engine = await WithTopicsAsync(("t", 1));
        await engine.ExecuteAsync("CREATE STREAM S (K STRING KEY, A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON'); ALTER STREAM S ADD COLUMN B BIGINT;");
        Assert.Equal("`K` STRING KEY, `A` INTEGER, `B` BIGINT", engine.MetaStore.GetSource("S")!.Schema.ToString());
    }

    [Fact]
    public async Task Drop_removes_the_source_and_if_exists_tolerates_absence()
    {
        var topics = new InMemoryTopicClient();
        await topics.CreateAsync("t", 1, 1, new Dictionary<string, string>());
        await using var engine = EngineFixture.InMemory(topics);
        await engine.ExecuteAsync("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON'); DROP STREAM S DELETE TOPIC; DROP STREAM IF EXISTS S;");
        Assert.Null(engine.MetaStore.GetSource("S"));
        Assert.Null(await topics.DescribeAsync("t"));
    }

    [Fact]
    public async Task Set_properties_last_for_the_session()
    {
        await using var engine = await WithTopicsAsync(("t", 1));
        var session = engine.CreateSession();
        await session.ExecuteAsync("SET 'ksql.persistence.default.format.value' = 'JSON';");
        await session.ExecuteAsync("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='t');");
        Assert.Equal("JSON", engine.MetaStore.GetSource("S")!.Topic.ValueFormat.Name);
        var e = await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync("CREATE STREAM S2 (A INT) WITH (KAFKA_TOPIC='t');"));
        Assert.StartsWith("Statement is missing the 'VALUE_FORMAT' property", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_function_and_show_functions_come_from_the_registry()
    {
        await using var engine = EngineFixture.InMemory();
        var f = Assert.IsType<FunctionDescriptionEntity>(Assert.Single(await engine.ExecuteAsync("DESCRIBE FUNCTION SUBSTRING;")));
        Assert.Equal("SUBSTRING", f.Name);
        Assert.NotEmpty(f.Functions);
        var list = Assert.IsType<FunctionNameListEntity>(Assert.Single(await engine.ExecuteAsync("SHOW FUNCTIONS;")));
        Assert.Contains(list.Functions, x => x.Name == "COUNT" && x.Type == "AGGREGATE");
    }

    [Fact]
    public async Task Syntax_errors_carry_the_statement()
    {
        await using var engine = EngineFixture.InMemory();
        var e = await Assert.ThrowsAsync<KsqlParseFailedException>(() => engine.ExecuteAsync("CREATE STREAM INPUT (K STRING (KEY)) WITH (kafka_topic='input',value_format='JSON');"));
        Assert.StartsWith("line 1:32: Syntax Error", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("Statement: CREATE STREAM INPUT (K STRING (KEY)) WITH (kafka_topic='input',value_format='JSON');", e.FullMessage, StringComparison.Ordinal);
    }
}
