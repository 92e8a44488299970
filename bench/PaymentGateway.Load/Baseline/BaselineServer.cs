using System.Globalization;
using Npgsql;
using PaymentGateway.Persistence;

namespace PaymentGateway.Load.Baseline;

/// <summary>
/// The yardstick: a bare Kestrel + Npgsql host with no SOAP, validation, journal or logging. <c>GET /select</c> runs the
/// verify's indexed select and answers a small XML; <c>POST /insert</c> inserts one row (autocommit, so one durable
/// commit with the cluster's synchronous_commit). Started by the harness as a child process on its own port.
/// </summary>
public static class BaselineServer
{
    public static async Task<int> RunAsync(string url, string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        // The gateway's own pool settings (prepared statements, no reset on return): the ratio compares code paths.
        var source = new NpgsqlDataSourceBuilder(connectionString);
        PersistenceServiceCollectionExtensions.Tune(source.ConnectionStringBuilder);
        await using var dataSource = source.Build();
        await using (var create = dataSource.CreateCommand(
            "create table if not exists bench_inserts(id bigserial primary key, notice text, at timestamptz default now())"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var app = builder.Build();
        app.MapGet("/ready", () => Results.Text("ready"));
        app.MapGet("/select", async (string ec, string notice, CancellationToken cancellationToken) =>
        {
            const string Sql = "select amount_cents, due_date, status from payment_options where organization_fiscal_code=$1 and notice_number=$2";
            await using var command = dataSource.CreateCommand(Sql);
            command.Parameters.Add(new NpgsqlParameter { Value = ec });
            // A plain text parameter, as the gateway sends: notice_number is text (V0003), so this is the index lookup.
            command.Parameters.Add(new NpgsqlParameter { Value = notice });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return Results.NotFound();
            }
            var xml = string.Create(CultureInfo.InvariantCulture,
                $"<option><amountCents>{reader.GetInt64(0)}</amountCents><dueDate>{reader.GetFieldValue<DateOnly>(1):yyyy-MM-dd}</dueDate><status>{reader.GetString(2)}</status></option>");
            return Results.Text(xml, "text/xml");
        });
        app.MapPost("/insert", async (string notice, CancellationToken cancellationToken) =>
        {
            await using var command = dataSource.CreateCommand("insert into bench_inserts(notice) values ($1) returning id");
            command.Parameters.Add(new NpgsqlParameter { Value = notice });
            var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            return Results.Text(string.Create(CultureInfo.InvariantCulture, $"<inserted><id>{id}</id></inserted>"), "text/xml");
        });
        await app.RunAsync();
        return 0;
    }
}
