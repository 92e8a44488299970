using System.CommandLine;
using System.Globalization;
using System.Text;
using Npgsql;
using PaymentGateway.Reconciliation.Refunds;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw refunds sync</c>: a refund case for every receipt paid twice, after cancel or expiry, for an unknown notice or
/// above the option's amount; <c>pgw refunds list [--state S] [--csv FILE]</c>; <c>pgw refunds approve|paid CASE --by NAME</c>
/// (Open → Approved → PaidBack). Exit codes: 0 done, 1 the database (or the CSV file) failed, 2 bad usage (an unknown
/// case, a move the case's state does not allow: nothing recorded).
/// </summary>
internal static class RefundsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sync = new Command("sync", "Create a refund case for every receipt with a refund anomaly that has none yet (running it again creates nothing new).");
        sync.SetAction((parseResult, cancellationToken) => WithStoreAsync(parseResult, "sync", error, async store =>
        {
            var created = await store.SyncAsync(cancellationToken);
            output.WriteLine(created == 0 ? "no new refund cases" : $"{created:N0} new refund cases (state Open)");
            return PgwCommand.Success;
        }));

        var state = new Option<RefundState?>("--state") { Description = "Only cases in this state: Open, Approved or PaidBack" };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the cases to this CSV file (semicolon-separated, formula-injection safe)" };
        var list = new Command("list", "List the refund cases (payer, amount to refund, reason, receipt, state, who approved and paid back when).") { state, csv };
        list.SetAction((parseResult, cancellationToken) => WithStoreAsync(parseResult, "list", error, async store =>
        {
            var cases = await store.ListAsync(parseResult.GetValue(state), cancellationToken);
            output.Write(Render(cases));
            if (parseResult.GetValue(csv) is { } file)
            {
                try
                {
                    await using var writer = new StreamWriter(file.FullName, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                    await RefundCsv.WriteAsync(writer, cases, cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"pgw refunds list: cannot write {file.FullName}: {e.Message}");
                    return PgwCommand.Failure;
                }
                output.WriteLine($"{cases.Count:N0} cases written to {file.FullName}");
            }
            return PgwCommand.Success;
        }));

        return new Command("refunds", "Refund cases: money collected that goes back to the payer (double payments, overpayments, payments on cancelled or unknown notices).")
        {
            sync, list, Move("approve", output, error), Move("paid", output, error),
        };
    }

    private static Command Move(string name, TextWriter output, TextWriter error)
    {
        var id = new Argument<long>("CASE") { Description = "The case's number, as `pgw refunds list` shows it" };
        var by = new Option<string>("--by") { Description = "Who does it (kept in the case's history)", Required = true };
        var command = new Command(name, name == "approve"
            ? "Approve an open refund case."
            : "Record that an approved case's money went back to the payer.")
        {
            id, by,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var caseId = parseResult.GetValue(id);
            var who = parseResult.GetValue(by)!;
            if (string.IsNullOrWhiteSpace(who))
            {
                error.WriteLine($"pgw refunds {name}: --by needs the name of who does it");
                return Task.FromResult(PgwCommand.BadInput);
            }
            return WithStoreAsync(parseResult, name, error, async store =>
            {
                var result = name == "approve"
                    ? await store.ApproveAsync(caseId, who, cancellationToken)
                    : await store.MarkPaidBackAsync(caseId, who, cancellationToken);
                switch (result.Outcome)
                {
                    case RefundTransitionOutcome.UnknownCase:
                        error.WriteLine($"pgw refunds {name}: there is no refund case {caseId}; nothing recorded");
                        return PgwCommand.BadInput;
                    case RefundTransitionOutcome.IllegalTransition:
                        error.WriteLine($"pgw refunds {name}: case {caseId} is {result.Current}; {Allowed(name)}; nothing recorded");
                        return PgwCommand.BadInput;
                    default:
                        output.WriteLine($"case {caseId}: {result.Current} -> {(name == "approve" ? RefundState.Approved : RefundState.PaidBack)} by {who.Trim()}");
                        return PgwCommand.Success;
                }
            });
        });
        return command;
    }

    private static string Allowed(string name) => name == "approve"
        ? "only an Open case can be approved"
        : "only an Approved case can be marked paid back";

    private static async Task<int> WithStoreAsync(ParseResult parseResult, string name, TextWriter error, Func<RefundCaseStore, Task<int>> action)
    {
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
            return await action(new RefundCaseStore(dataSource, TimeProvider.System));
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            error.WriteLine($"pgw refunds {name}: cannot reach the database: {e.Message}");
            return PgwCommand.Failure;
        }
    }

    internal static string Render(IReadOnlyList<RefundCase> cases)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"case",6}  {"state",-9}{"reason",-17}{"notice",-19}{"receipt",-36}{"refund euro",14}  last change");
        foreach (var c in cases)
        {
            var last = c.PaidBackBy is { } p ? $"paid back by {p} {c.PaidBackAt:yyyy-MM-dd}"
                : c.ApprovedBy is { } a ? $"approved by {a} {c.ApprovedAt:yyyy-MM-dd}"
                : $"opened {c.OpenedAt:yyyy-MM-dd}";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{c.Id,6}  {c.State,-9}{c.Reason,-17}{c.NoticeNumber,-19}{c.ReceiptId,-36}{Euro(c.RefundCents),14}  {last}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{cases.Count:N0} cases, {Euro(cases.Sum(c => c.RefundCents))} euro to refund");
        return text.ToString();
    }

    private static string Euro(long cents) => string.Create(CultureInfo.InvariantCulture, $"{cents / 100:N0}.{Math.Abs(cents % 100):00}");
}
