namespace Rhei.Configuration.Tests;

public class PropertiesFileTests
{
    private static IReadOnlyList<PropertyEntry> Parse(string text)
    {
        var (entries, errors) = PropertiesFile.Parse(text);
        Assert.Empty(errors);
        return entries;
    }

    private static string Value(string text, string key) => Parse(text).Last(e => e.Key == key).Value;

    [Theory]
    [InlineData("a=1")]
    [InlineData("a = 1")]
    [InlineData("a:1")]
    [InlineData("a : 1")]
    [InlineData("a 1")]
    [InlineData("a\t1")]
    [InlineData("   a=1")]
    [InlineData("a   =   1")]
    public void Separators_equals_colon_and_whitespace_all_work(string line)
    {
        var entry = Assert.Single(Parse(line));
        Assert.Equal("a", entry.Key);
        Assert.Equal("1", entry.Value);
    }

    [Fact]
    public void Value_keeps_later_separators_and_trailing_text()
    {
        Assert.Equal("b=c:d", Value("a=b=c:d", "a"));
        Assert.Equal("=x", Value("a = =x", "a"));
        Assert.Equal("x", Value("a = x", "a"));
    }

    [Fact]
    public void Comments_and_blank_lines_are_skipped()
    {
        var entries = Parse("# a comment\n! another\n\n   \n  # indented comment\na=1\n");
        Assert.Equal("a", Assert.Single(entries).Key);
    }

    [Fact]
    public void A_comment_ending_in_backslash_does_not_continue()
    {
        var entries = Parse("# comment \\\na=1");
        Assert.Equal("a", Assert.Single(entries).Key);
    }

    [Fact]
    public void Backslash_at_end_of_line_continues_and_drops_leading_whitespace()
    {
        var entries = Parse("listeners=PLAINTEXT://a:1,\\\n    HTTP://a:2\nnext=3");
        Assert.Equal("PLAINTEXT://a:1,HTTP://a:2", entries[0].Value);
        Assert.Equal(1, entries[0].Line);
        Assert.Equal(3, entries[1].Line);
    }

    [Fact]
    public void Continuation_line_starting_with_hash_is_not_a_comment()
    {
        Assert.Equal("x#y", Value("a=x\\\n  #y", "a"));
    }

    [Fact]
    public void Even_number_of_trailing_backslashes_is_a_literal_backslash_not_a_continuation()
    {
        var entries = Parse("a=x\\\\\nb=2");
        Assert.Equal("x\\", entries[0].Value);
        Assert.Equal("b", entries[1].Key);
    }

    [Fact]
    public void Escapes_are_decoded()
    {
        Assert.Equal("tab\there", Value("a=tab\\there", "a"));
        Assert.Equal("line\nbreak", Value("a=line\\nbreak", "a"));
        Assert.Equal("back\\slash", Value("a=back\\\\slash", "a"));
        Assert.Equal("é€", Value("a=\\u00e9\\u20AC", "a"));
        Assert.Equal("plai#", Value("a=\\p\\l\\a\\i\\#", "a"));
    }

    [Fact]
    public void Escaped_separators_belong_to_the_key()
    {
        var entry = Assert.Single(Parse("my\\=key\\:x\\ y = v"));
        Assert.Equal("my=key:x y", entry.Key);
        Assert.Equal("v", entry.Value);
    }

    [Fact]
    public void Crlf_and_cr_line_endings_are_lines()
    {
        var entries = Parse("a=1\r\nb=2\rc=3");
        Assert.Equal(["a", "b", "c"], entries.Select(e => e.Key));
        Assert.Equal([1, 2, 3], entries.Select(e => e.Line));
    }

    [Fact]
    public void Key_without_value_has_empty_value()
    {
        Assert.Equal("", Value("a", "a"));
        Assert.Equal("", Value("a=", "a"));
    }

    [Fact]
    public void Repeated_key_keeps_both_entries_in_order()
    {
        var entries = Parse("a=1\na=2");
        Assert.Equal(["1", "2"], entries.Select(e => e.Value));
    }

    [Fact]
    public void Malformed_unicode_escape_is_an_error_with_its_line()
    {
        var (entries, errors) = PropertiesFile.Parse("ok=1\nbad=\\u12G4\n");
        Assert.Single(entries);
        var error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("\\u", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_unicode_escape_at_end_is_an_error()
    {
        var (_, errors) = PropertiesFile.Parse("bad=\\u12");
        Assert.Single(errors);
    }
}
