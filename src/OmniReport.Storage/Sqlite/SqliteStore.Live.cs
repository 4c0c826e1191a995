namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(long accountId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT agent_id, name FROM agent_names WHERE account_id = $a");
        cmd.Parameters.AddWithValue("$a", accountId);
        using var r = cmd.ExecuteReader();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read())
        {
            names[r.GetString(0)] = r.GetString(1);
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(names);
    }
}
