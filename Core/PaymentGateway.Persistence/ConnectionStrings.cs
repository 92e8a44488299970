namespace PaymentGateway.Persistence;

/// <summary>Where the connection string comes from when nobody says otherwise.</summary>
public static class ConnectionStrings
{
    /// <summary>The private cluster that <c>./run.sh</c> starts: 127.0.0.1, port <c>PGW_PG_PORT</c> (55432).</summary>
    public static string RunScriptDefault(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var port = getEnvironmentVariable("PGW_PG_PORT") is { Length: > 0 } p ? p : "55432";
        return $"Host=127.0.0.1;Port={port};Database=paymentgateway;Username=postgres";
    }
}
