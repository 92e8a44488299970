using System.Globalization;
using System.Text.Json;
using Npgsql;
using PaymentGateway.Persistence;
using PaymentGateway.Persistence.Dossier;

namespace PaymentGateway.Load.Baseline;

/// <summary>
/// The yardstick: a bare Kestrel + Npgsql host with no SOAP, validation, journal or logging. <c>GET /select</c> runs the
/// verify's indexed select and answers a small XML; <c>GET /dossier/debts</c> runs the dossier's open-debts statement and answers its
/// JSON; <c>POST /insert</c> inserts one row (autocommit, so one durable
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
        app.MapGet("/dossier/debts", async (string fc, HttpResponse response, CancellationToken cancellationToken) =>
        {
            // The gateway's open-debts statement verbatim, first page of 20 positions, grouped into the same JSON shape.
            await using var command = dataSource.CreateCommand(DossierReader.OpenDebtsSql);
            command.Parameters.Add(new NpgsqlParameter { Value = fc });
            command.Parameters.Add(new NpgsqlParameter { Value = 0L });
            command.Parameters.Add(new NpgsqlParameter { Value = 20 });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            using var buffer = new MemoryStream();
            await using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("fiscalCode", fc);
                json.WriteStartArray("items");
                long current = 0;
                var open = false;
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetInt64(0);
                    if (!open || id != current)
                    {
                        if (open)
                        {
                            json.WriteEndArray();
                            json.WriteEndObject();
                        }
                        current = id;
                        open = true;
                        json.WriteStartObject();
                        json.WriteString("organizationFiscalCode", reader.GetString(1));
                        json.WriteString("organizationName", reader.GetString(2));
                        json.WriteString("description", reader.GetString(4));
                        json.WriteStartArray("options");
                    }
                    json.WriteStartObject();
                    json.WriteString("noticeNumber", reader.GetString(5));
                    json.WriteString("description", reader.GetString(6));
                    json.WriteNumber("amountCents", reader.GetInt64(7));
                    json.WriteString("dueDate", reader.GetFieldValue<DateOnly>(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    if (reader.IsDBNull(9))
                    {
                        json.WriteNull("installmentNumber");
                    }
                    else
                    {
                        json.WriteNumber("installmentNumber", reader.GetInt16(9));
                    }
                    json.WriteString("status", reader.GetString(10));
                    json.WriteEndObject();
                }
                if (open)
                {
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            response.ContentType = "application/json";
            await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
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
