using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace PaymentGateway.Persistence;

/// <summary>Registers the single <see cref="NpgsqlDataSource"/> and the stores.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Adds PostgreSQL access for <paramref name="connectionString"/>.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, string connectionString)
    {
        services.AddNpgsqlDataSource(connectionString);
        services.AddSingleton<DatabaseStatus>();
        return services;
    }
}
