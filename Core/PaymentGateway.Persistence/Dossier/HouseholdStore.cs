using Dapper;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Persistence.Dossier;

/// <summary>A dependent a guardian may act for in the dossier.</summary>
/// <param name="FiscalCode">The dependent's fiscal code (type F).</param>
/// <param name="Name">What the guardian's app shows, if configured.</param>
/// <param name="ValidUntil">Last day (Europe/Rome) the relation holds; null until removed.</param>
public sealed record Dependent(DebtorIdentifier FiscalCode, string? Name, DateOnly? ValidUntil);

/// <summary>
/// The household relation (table <c>household_relations</c>): guardian → dependents. A guardian sees and pays a
/// dependent's debts (school meals, fees); nobody else does. A relation holds through its <c>valid_until</c> day.
/// Maintained by the Comune's operators (<c>pgw household</c>), never through the citizen API.
/// </summary>
public sealed class HouseholdStore(NpgsqlDataSource dataSource)
{
    /// <summary>The dependents <paramref name="guardian"/> may act for on <paramref name="today"/>, by fiscal code.</summary>
    /// <param name="guardian">The guardian (type F).</param>
    /// <param name="today">Today in Europe/Rome.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public async Task<IReadOnlyList<Dependent>> ListDependentsAsync(DebtorIdentifier guardian, DateOnly today, CancellationToken cancellationToken)
    {
        const string sql = """
            select dependent_fiscal_code, dependent_name, valid_until
            from household_relations
            where guardian_fiscal_code = $1 and (valid_until is null or valid_until >= $2)
            order by dependent_fiscal_code
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = guardian.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = today });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var dependents = new List<Dependent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            dependents.Add(new Dependent(DebtorIdentifier.Create(EntityType.Person, reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2)));
        }
        return dependents;
    }

    /// <summary>Whether <paramref name="guardian"/> may act for <paramref name="dependent"/> on <paramref name="today"/>.</summary>
    /// <param name="guardian">The guardian (type F).</param>
    /// <param name="dependent">The dependent (type F).</param>
    /// <param name="today">Today in Europe/Rome.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public async Task<bool> IsGuardianAsync(DebtorIdentifier guardian, DebtorIdentifier dependent, DateOnly today, CancellationToken cancellationToken)
    {
        const string sql = """
            select exists (select 1 from household_relations
                           where guardian_fiscal_code = $1 and dependent_fiscal_code = $2 and (valid_until is null or valid_until >= $3))
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = guardian.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = dependent.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = today });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Adds the relation, or updates its name and end when it exists.</summary>
    /// <param name="guardian">The guardian (type F).</param>
    /// <param name="dependent">The dependent (type F), not the guardian.</param>
    /// <param name="name">What the guardian's app shows (1..70 characters), or null.</param>
    /// <param name="validUntil">Last day the relation holds, or null.</param>
    /// <param name="now">When (created_at of a new relation).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when the relation is new.</returns>
    public async Task<bool> AddAsync(DebtorIdentifier guardian, DebtorIdentifier dependent, string? name, DateOnly? validUntil, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (guardian == dependent)
        {
            throw new ArgumentException("a citizen cannot be their own dependent", nameof(dependent));
        }
        const string sql = """
            insert into household_relations (guardian_fiscal_code, dependent_fiscal_code, dependent_name, valid_until, created_at)
            values (@guardian, @dependent, @name, @validUntil, @now)
            on conflict (guardian_fiscal_code, dependent_fiscal_code)
            do update set dependent_name = excluded.dependent_name, valid_until = excluded.valid_until
            returning (xmax = 0) as inserted
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new
        {
            guardian = guardian.Value,
            dependent = dependent.Value,
            name,
            validUntil,
            now = now.ToUniversalTime(),
        }, cancellationToken: cancellationToken));
    }

    /// <summary>Removes the relation; false when there was none.</summary>
    /// <param name="guardian">The guardian.</param>
    /// <param name="dependent">The dependent.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<bool> RemoveAsync(DebtorIdentifier guardian, DebtorIdentifier dependent, CancellationToken cancellationToken)
    {
        const string sql = "delete from household_relations where guardian_fiscal_code = @guardian and dependent_fiscal_code = @dependent";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { guardian = guardian.Value, dependent = dependent.Value },
            cancellationToken: cancellationToken)) > 0;
    }
}
