namespace Rhei.Configuration;

/// <summary>Checks of Rhei's table that involve more than one setting.</summary>
internal static class CrossChecks
{
    public static IEnumerable<ConfigError> SessionTimeoutBounds(RheiConfig config)
    {
        var min = config.GetValue(RheiSettings.GroupMinSessionTimeoutMs);
        var max = config.GetValue(RheiSettings.GroupMaxSessionTimeoutMs);
        if ((int)min.Value! > (int)max.Value!)
        {
            yield return new ConfigError(min.Key.Name, min.Text, min.Source,
                $"'{min.Key.Name}' = {min.Text} (from {min.Source}) is larger than '{max.Key.Name}' = {max.Text} " +
                $"(from {max.Source}). Make the minimum no larger than the maximum.");
        }
    }

    public static IEnumerable<ConfigError> AdvertisedListenersMatch(RheiConfig config)
    {
        var advertised = config.GetValue(RheiSettings.AdvertisedListeners);
        if (advertised.Value is null)
        {
            yield break;
        }
        var listeners = config.GetValue(RheiSettings.Listeners);
        var names = config.Listeners.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var listener in config.GetListeners(RheiSettings.AdvertisedListeners))
        {
            if (!names.Contains(listener.Name))
            {
                yield return new ConfigError(advertised.Key.Name, advertised.Text, advertised.Source,
                    $"Invalid value '{advertised.Text}' for '{advertised.Key.Name}' (from {advertised.Source}): listener " +
                    $"{listener.Name} is not in 'listeners' ('{listeners.Text}', from {listeners.Source}). Advertise only " +
                    "listeners that exist.");
            }
            else if (listener.IsWildcardHost || listener.Port == 0)
            {
                yield return new ConfigError(advertised.Key.Name, advertised.Text, advertised.Source,
                    $"Invalid value '{advertised.Text}' for '{advertised.Key.Name}' (from {advertised.Source}): " +
                    $"'{listener}' is not an address a client can connect to. Give the host name or address clients " +
                    "use, and a real port.");
            }
        }
    }
}
