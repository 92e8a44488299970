using System.CommandLine;
using System.Globalization;
using System.Text;
using Npgsql;
using PaymentGateway.Reconciliation.Settlement;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw reconcile late [--as-of DATE]</c>: the settlement calendar — reporting flows not received by D+2 working days
/// and credits not booked by the working day after settlement, as of now or as of the start of DATE (Italian time).
/// Exit codes: 0 done (late items are listed, not an error), 1 the database failed, 2 bad usage.
/// </summary>
internal static class LateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var asOf = new Option<DateOnly?>("--as-of")
        {
            Description = "Report as of 00:00 Italian time of this date (yyyy-MM-dd): deadlines ended, flows received and credits booked before it (default: now)",
        };
        var late = new Command("late", "Settlement calendar: list the reporting flows (due D+2 working days) and treasury credits (due the working day after settlement) that are late.")
        {
            asOf,
        };
        late.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
                var calendar = new SettlementCalendar(dataSource, TimeProvider.System);
                var report = parseResult.GetValue(asOf) is { } date
                    ? await calendar.LateAsync(WorkingDays.StartOf(date), cancellationToken)
                    : await calendar.LateAsync(cancellationToken);
                output.Write(Render(report));
                return PgwCommand.Success;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                error.WriteLine($"pgw reconcile late: cannot reach the database: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return late;
    }

    internal static string Render(SettlementReport report)
    {
        var text = new StringBuilder();
        var rome = PaymentGateway.Core.RomeCalendar.ToRome(report.AsOf);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"as of {rome:yyyy-MM-dd HH:mm} Italian time: {report.DaysChecked:N0} PSP operating days with receipts, {report.FlowsChecked:N0} flows whose credit is tracked");
        text.AppendLine(CultureInfo.InvariantCulture, $"late flows (FdR due by the end of D+{SettlementCalendar.FlowDueWorkingDays} working days): {report.LateFlows.Count:N0}");
        foreach (var f in report.LateFlows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  EC {f.OrganizationFiscalCode}  PSP {f.PspId,-16} day {f.OperatingDay:yyyy-MM-dd}  due {f.ExpectedBy:yyyy-MM-dd}  " +
                $"{f.Unreported:N0} of {f.Receipts:N0} receipts not reported, {Euro(f.UnreportedCents)} of {Euro(f.Cents)} euro");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"late credits (due by the end of the working day after settlement; run `pgw reconcile treasury` after importing statements): {report.LateCredits.Count:N0}");
        foreach (var c in report.LateCredits)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  flow {c.FlowId} (PSP {c.PspId}, EC {c.OrganizationFiscalCode})  settled {c.SettlementDate:yyyy-MM-dd}  due {c.ExpectedBy:yyyy-MM-dd}  {Euro(c.DeclaredCents)} euro");
        }
        return text.ToString();
    }

    private static string Euro(long cents) => string.Create(CultureInfo.InvariantCulture, $"{cents / 100:N0}.{Math.Abs(cents % 100):00}");
}
