using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// Types: <c>ARRAY&lt;T&gt;</c>, <c>MAP&lt;K, V&gt;</c>, <c>STRUCT&lt;name T, ...&gt;</c>, <c>DECIMAL(p, s)</c>, and a base type
/// name — a primitive (BOOLEAN, INT, INTEGER, BIGINT, DOUBLE, STRING, VARCHAR, BYTES, DATE, TIME, TIMESTAMP) or a custom
/// type. As in ksqlDB's grammar a base type may be followed by parameters in parentheses, which are ignored.
/// </summary>
internal sealed class TypeParser
{
    private readonly TokenCursor _c;

    public TypeParser(TokenCursor cursor) => _c = cursor;

    public TypeSyntax ParseType()
    {
        _c.EnsureStack();
        var start = _c.Current;
        var type = ParseTypeCore(start) with { Position = start.Position };
        return type;
    }

    private TypeSyntax ParseTypeCore(SqlToken start)
    {
        var isWord = start.Kind == SqlTokenKind.Identifier;
        if (isWord && start.Keyword == SqlKeyword.Array && _c.Peek().Kind == SqlTokenKind.LessThan)
        {
            _c.Advance();
            _c.Advance();
            var element = ParseType();
            _c.Expect(SqlTokenKind.GreaterThan);
            return new ArrayTypeSyntax(element);
        }

        if (isWord && start.Keyword == SqlKeyword.Map && _c.Peek().Kind == SqlTokenKind.LessThan)
        {
            _c.Advance();
            _c.Advance();
            var key = ParseType();
            _c.Expect(SqlTokenKind.Comma);
            var value = ParseType();
            _c.Expect(SqlTokenKind.GreaterThan);
            return new MapTypeSyntax(key, value);
        }

        if (isWord && start.Keyword == SqlKeyword.Struct && _c.Peek().Kind == SqlTokenKind.NotEqual && _c.Peek().Text == "<>")
        {
            // STRUCT<> (how an empty struct type prints) lexes as STRUCT followed by the <> operator.
            _c.Advance();
            _c.Advance();
            return new StructTypeSyntax([]);
        }

        if (isWord && start.Keyword == SqlKeyword.Struct && _c.Peek().Kind == SqlTokenKind.LessThan)
        {
            _c.Advance();
            _c.Advance();
            var fields = new List<StructFieldSyntax>();
            if (!_c.At(SqlTokenKind.GreaterThan))
            {
                do
                {
                    var nameToken = _c.ExpectIdentifierToken();
                    fields.Add(new StructFieldSyntax(nameToken.Value, ParseType()) { Position = nameToken.Position });
                }
                while (_c.Accept(SqlTokenKind.Comma));
            }

            _c.Expect(SqlTokenKind.GreaterThan);
            return new StructTypeSyntax([.. fields]);
        }

        if (isWord && start.Keyword == SqlKeyword.Decimal)
        {
            _c.Advance();
            _c.Expect(SqlTokenKind.LeftParen);
            var precision = _c.ExpectInt32();
            _c.Expect(SqlTokenKind.Comma);
            var scale = _c.ExpectInt32();
            _c.Expect(SqlTokenKind.RightParen);
            return new DecimalTypeSyntax(precision, scale);
        }

        if (!start.IsIdentifier)
        {
            throw _c.Error(start.Kind == SqlTokenKind.EndOfInput
                ? "Expecting a type, found the end of the statement"
                : $"Expecting a type (BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL(p, s), STRING, BYTES, DATE, TIME, TIMESTAMP, ARRAY<T>, MAP<K, V>, STRUCT<...> or a custom type), found '{start.Text}'");
        }

        _c.Advance();
        var name = start.Value;
        if (_c.At(SqlTokenKind.LeftParen))
        {
            // ksqlDB's grammar lets any base type take parameters (VARCHAR(STRING), INT(10)) and ignores them.
            _c.Advance();
            do
            {
                var isParameter = _c.At(SqlTokenKind.Integer)
                    || (_c.Current.Kind == SqlTokenKind.Identifier && _c.Current.Value == "STRING");
                if (!isParameter)
                {
                    throw _c.Expecting("'STRING'", "INTEGER_VALUE");
                }

                _c.Advance();
            }
            while (_c.Accept(SqlTokenKind.Comma));

            _c.Expect(SqlTokenKind.RightParen);
        }

        var primitive = PrimitiveOf(name);
        return primitive is { } baseType ? new PrimitiveTypeSyntax(baseType) : new CustomTypeSyntax(name);
    }

    private static SqlBaseType? PrimitiveOf(string name) => name switch
    {
        "BOOLEAN" => SqlBaseType.Boolean,
        "INT" or "INTEGER" => SqlBaseType.Integer,
        "BIGINT" => SqlBaseType.BigInt,
        "DOUBLE" => SqlBaseType.Double,
        "STRING" or "VARCHAR" => SqlBaseType.String,
        "BYTES" => SqlBaseType.Bytes,
        "DATE" => SqlBaseType.Date,
        "TIME" => SqlBaseType.Time,
        "TIMESTAMP" => SqlBaseType.Timestamp,
        _ => null,
    };
}
