namespace Rhei.Storage.Topics;

/// <summary>Kafka's topic name rules: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

    /// <summary>The internal topic holding committed offsets and group metadata.</summary>
    public const string ConsumerOffsets = "__consumer_offsets";

    public static bool IsInternal(string name) => name == ConsumerOffsets || name == "__transaction_state";

    /// <summary>Null when valid, else why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Topic name is empty.";
        }

        if (name is "." or "..")
        {
            return $"Topic name cannot be \"{name}\".";
        }

        if (name.Length > MaxLength)
        {
            return $"Topic name is illegal, it can't be longer than {MaxLength} characters, topic name: {name}.";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'.";
            }
        }

        return null;
    }

    public static void ThrowIfInvalid(string? name)
    {
        if (Validate(name) is { } why)
        {
            throw new StorageException(StorageError.InvalidTopicException, why);
        }
    }
}
