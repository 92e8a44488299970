using System.CommandLine;
using System.Globalization;
using Npgsql;
using PaymentGateway.Reconciliation.Audit;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw audit</c>: checks the money invariants (<see cref="MoneyAudit"/>) and prints them with the options' totals per
/// EC and state. Exit codes: 0 every invariant holds, 1 some invariant is broken (the offending ids are printed) or the
/// database failed, 2 bad usage.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var audit = new Command("audit", "Check the money invariants (issued, paid, reported, reconciled) and print the offending ids of any that fails.");
        audit.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
                var report = await new MoneyAudit(dataSource).RunAsync(cancellationToken);
                static string Euro(long cents) => (cents / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"EC",-13}{"state",-11}{"options",12}{"euro",20}"));
                foreach (var t in report.Totals)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t.Organization,-13}{t.Status,-11}{t.Options,12:N0}{Euro(t.Cents),20}"));
                }
                output.WriteLine();
                foreach (var check in report.Checks)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{(check.Violations == 0 ? "ok  " : "FAIL")} {check.Name,-24} {check.Description}{(check.Violations == 0 ? "" : $": {check.Violations:N0} violation(s)")}"));
                    foreach (var example in check.Examples)
                    {
                        output.WriteLine($"       {example}");
                    }
                }
                if (!report.Holds)
                {
                    error.WriteLine($"pgw audit: {report.Checks.Count(c => c.Violations > 0)} invariant(s) broken");
                    return PgwCommand.Failure;
                }
                output.WriteLine("every invariant holds");
                return PgwCommand.Success;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                error.WriteLine($"pgw audit: cannot reach the database: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return audit;
    }
}
