using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Gateway.Aca;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Aca;

/// <summary>Positions, events and dispatchers for the ACA mirror tests.</summary>
public static class AcaTestKit
{
    public static readonly Iban PostalIban = Iban.Parse("IT70X0760101600000012345678");
    // Notice numbers must be unique in a test database; every position built here takes fresh ones.
    private static long s_nextBase = 500_000;

    /// <summary>Settings that keep every wait short: tests run in seconds.</summary>
    public static Dictionary<string, string?> Settings(FakeAca aca, string key = "test-key") => new()
    {
        ["Aca:Enabled"] = "true",
        ["Aca:BaseUrl"] = aca.BaseUrl.ToString(),
        ["Aca:SubscriptionKey"] = key,
        ["Aca:MaxRetries"] = "1",
        ["Aca:RetryBaseDelay"] = "00:00:00.010",
        ["Aca:AttemptTimeout"] = "00:00:02",
        ["Aca:TotalTimeout"] = "00:00:05",
        ["Aca:RedeliveryDelay"] = "00:00:00.020",
        ["Aca:MaxRedeliveryDelay"] = "00:00:00.100",
        ["Aca:PollInterval"] = "00:00:00.020",
    };

    /// <summary>The dispatcher as the host wires it (same extension method), on the test database.</summary>
    public static ServiceProvider Mirror(TestDatabase database, IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(database.DataSource);
        services.AddAcaMirror(configuration);
        return services.BuildServiceProvider(validateScopes: true);
    }

    /// <summary>Runs rounds until one claims nothing (events waiting for a retry are waited for, up to a bound).</summary>
    internal static async Task DrainAsync(AcaDispatcher dispatcher, TestDatabase database)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await PendingAsync(database) > 0)
        {
            var round = await dispatcher.RunOnceAsync(timeout.Token);
            if (round.Claimed == 0)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    /// <summary>Position events neither delivered nor parked.</summary>
    public static async Task<long> PendingAsync(TestDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select count(*) from outbox where published_at is null and parked_at is null and event_type like 'position.%'");
    }

    /// <summary>Marks every earlier event delivered, so a test sees only its own.</summary>
    public static async Task ForgetEarlierEventsAsync(TestDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("update outbox set published_at = now() where published_at is null");
    }

    /// <summary>A position of the test EC: single payment of <paramref name="cents"/> plus <paramref name="installments"/> installments.</summary>
    public static DebtPosition Position(long cents = 21_000, int installments = 0, TransferAccount? account = null, string? iupd = null, long? firstBase = null)
    {
        var first = firstBase ?? Interlocked.Add(ref s_nextBase, 10) - 10;
        var due = new DateOnly(2026, 12, 31);
        var options = new List<PaymentOption> { Option(NoticeNumber.Create(PositionBuilder.Segregation, first), cents, due, null, account) };
        for (var n = 1; n <= installments; n++)
        {
            options.Add(Option(NoticeNumber.Create(PositionBuilder.Segregation, first + n), cents / installments + (n == 1 ? cents % installments : 0), due.AddMonths(n - 1), n, account));
        }
        var result = DebtPosition.Create(PositionBuilder.Creditor, iupd ?? $"ACA-{first}", DebtorIdentifier.Create(EntityType.Person, "RSSMRA85T10A562S"),
            "MARIO ROSSI", "TARI 2026", options);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(string.Join("; ", result.Errors));
    }

    /// <summary>The same position (same IUPD and notices) with a new amount.</summary>
    public static DebtPosition WithAmount(DebtPosition position, long cents) =>
        Position(cents, position.Options.Count - 1, position.Options[0].Transfers[0].Account, position.Iupd, position.Options[0].NoticeNumber.Iuv.Base);

    public static async Task CreateAsync(TestDatabase database, params DebtPosition[] positions) =>
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync(positions, 2026, "TARI", CancellationToken.None);

    public static Task ChangeAsync(TestDatabase database, DebtPosition position) =>
        InTransactionAsync(database, (c, t) => PositionEvents.AddChangedAsync(c, t, position, DateTimeOffset.UnixEpoch, CancellationToken.None));

    public static Task CancelAsync(TestDatabase database, DebtPosition position) =>
        InTransactionAsync(database, (c, t) => PositionEvents.AddCancelledAsync(c, t, position, DateTimeOffset.UnixEpoch, CancellationToken.None));

    /// <summary>Amounts ACA accepted for <paramref name="iuv"/>, consecutive repeats (at-least-once redeliveries) collapsed.</summary>
    public static IReadOnlyList<long> AcceptedAmounts(FakeAca aca, string iuv)
    {
        var amounts = new List<long>();
        foreach (var call in aca.Accepted.Where(c => c.Iuv == iuv))
        {
            if (amounts.Count == 0 || amounts[^1] != call.Amount)
            {
                amounts.Add(call.Amount);
            }
        }
        return amounts;
    }

    private static async Task InTransactionAsync(TestDatabase database, Func<NpgsqlConnection, NpgsqlTransaction, Task> write)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await write(connection, transaction);
        await transaction.CommitAsync();
    }

    private static PaymentOption Option(NoticeNumber notice, long cents, DateOnly due, int? installment, TransferAccount? account)
    {
        var second = cents / 20;
        var transfers = new List<Transfer>
        {
            new(1, PositionBuilder.Creditor, account ?? new BankAccount(PositionBuilder.CreditorIban), EuroCents.FromCents(cents - second), PositionBuilder.Category, "TARI"),
            new(2, PositionBuilder.SecondBeneficiary, new BankAccount(PositionBuilder.SecondIban), EuroCents.FromCents(second), PositionBuilder.Category, "TEFA"),
        };
        var result = PaymentOption.Create(notice, EuroCents.FromCents(cents), due, "TARI 2026", installment, transfers);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
