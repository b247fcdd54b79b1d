namespace Rhei.Formats.Avro;

/// <summary>Avro's name rules: <c>[A-Za-z_][A-Za-z0-9_]*</c>, with the Java library's messages.</summary>
public static class AvroNames
{
    /// <summary>Why <paramref name="name"/> is not a valid Avro name, or null.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "Empty name";
        }

        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return $"Illegal initial character: {name}";
        }

        for (var i = 1; i < name.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(name[i]) || name[i] == '_'))
            {
                return $"Illegal character in: {name}";
            }
        }

        return null;
    }

    /// <exception cref="FormatException">The name is not valid.</exception>
    public static void Validate(string name)
    {
        if (Problem(name) is { } problem)
        {
            throw new FormatException(problem);
        }
    }
}
