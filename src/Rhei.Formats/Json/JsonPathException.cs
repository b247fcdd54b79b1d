using System.Text;

namespace Rhei.Formats.Json;

/// <summary>A JSON value that does not fit its column, with the path collected while unwinding (<c>$.A[0].B</c>).</summary>
internal sealed class JsonPathException : Exception
{
    private readonly List<string> _segments = [];

    public JsonPathException(string message)
        : base(message)
    {
    }

    public JsonPathException()
    {
    }

    public JsonPathException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public void Prepend(string segment) => _segments.Add(segment);

    public string Describe()
    {
        if (_segments.Count == 0)
        {
            return Message;
        }

        var path = new StringBuilder("$");
        for (var i = _segments.Count - 1; i >= 0; i--)
        {
            path.Append(_segments[i]);
        }

        return $"{Message}, path: {path}";
    }
}
