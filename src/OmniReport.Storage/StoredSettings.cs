using OmniReport.Core.Settings;

namespace OmniReport.Storage;

/// <summary>Settings as stored: the JSON of SPEC §5.2, null meaning the defaults.</summary>
internal static class StoredSettings
{
    public static AccountSettings Read(string? json)
    {
        if (json is null)
        {
            return AccountSettings.Default;
        }

        return SettingsJson.TryApply(AccountSettings.Default, json, out var s, out var error)
            ? s
            : throw new InvalidDataException($"stored settings are not valid: {error}");
    }

    public static string Write(AccountSettings s) => SettingsJson.Write(s);
}
