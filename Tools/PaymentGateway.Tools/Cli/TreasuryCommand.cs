using System.CommandLine;
using System.Globalization;
using System.Text;
using Npgsql;
using PaymentGateway.Reconciliation.Treasury;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw reconcile treasury [--details]</c>: the three-way match of bank credits to reporting flows, with counts and
/// euro per label and the pairings awaiting an operator; <c>pgw reconcile treasury confirm|refuse CREDIT --by NAME</c>:
/// an operator's decision on a pairing proposed from a truncated causale, then a run. Exit codes: 0 done, 1 the database
/// failed, 2 bad usage (a credit with nothing to decide).
/// </summary>
internal static class TreasuryCommand
{
    private static readonly TreasuryLabel[] Anomalies =
    [
        TreasuryLabel.AmountDiffers, TreasuryLabel.DuplicateCredit, TreasuryLabel.AwaitingConfirmation, TreasuryLabel.FlowWithoutTreasury,
        TreasuryLabel.TreasuryWithoutFlow,
    ];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var details = new Option<bool>("--details") { Description = "Also list every flow and credit with an anomaly (amount differs, duplicate, awaiting, missing)" };
        var treasury = new Command("treasury", "Three-way match: pair bank credits with reporting flows, label every flow and credit, print counts and euro per label.")
        {
            details, Decision("confirm", output, error), Decision("refuse", output, error),
        };
        treasury.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult, parseResult.GetValue(details), decide: null, output, error, cancellationToken));
        return treasury;
    }

    private static Command Decision(string name, TextWriter output, TextWriter error)
    {
        var credit = new Argument<long>("CREDIT") { Description = "The credit's id, as `pgw reconcile treasury` lists it under awaiting confirmation" };
        var by = new Option<string>("--by") { Description = "Who decides (kept with the decision)", Required = true };
        var command = new Command(name, name == "confirm"
            ? "Confirm the flow proposed for a credit with a truncated causale; the match then books it as credited."
            : "Refuse the flow proposed for a credit; it is never proposed again and the credit stays without flow.")
        {
            credit, by,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var creditPk = parseResult.GetValue(credit);
            var who = parseResult.GetValue(by)!;
            if (string.IsNullOrWhiteSpace(who))
            {
                error.WriteLine("pgw reconcile treasury: --by needs the name of who decides");
                return Task.FromResult(PgwCommand.BadInput);
            }
            Func<TreasuryMatcher, CancellationToken, Task<(DecisionOutcome, string?)>> decide = name == "confirm"
                ? (m, ct) => m.ConfirmAsync(creditPk, who, ct)
                : (m, ct) => m.RefuseAsync(creditPk, who, ct);
            return RunAsync(parseResult, details: false, (creditPk, name == "confirm" ? "confirmed" : "refused", decide), output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, bool details,
        (long Credit, string Verb, Func<TreasuryMatcher, CancellationToken, Task<(DecisionOutcome, string?)>> Decide)? decide,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
            var matcher = new TreasuryMatcher(dataSource, TimeProvider.System);
            if (decide is { } d)
            {
                var (outcome, detail) = await d.Decide(matcher, cancellationToken);
                switch (outcome)
                {
                    case DecisionOutcome.UnknownCredit:
                        error.WriteLine($"pgw reconcile treasury: there is no credit {d.Credit}");
                        return PgwCommand.BadInput;
                    case DecisionOutcome.NotAwaitingConfirmation:
                        error.WriteLine($"pgw reconcile treasury: credit {d.Credit} is not awaiting confirmation (its label is {detail}); nothing recorded");
                        return PgwCommand.BadInput;
                    default:
                        output.WriteLine($"credit {d.Credit}: {detail} {d.Verb}");
                        break;
                }
            }
            var run = await matcher.RunAsync(cancellationToken);
            output.Write(Summary(run));
            if (details)
            {
                output.Write(Details(await matcher.ListAsync(Anomalies, cancellationToken)));
            }
            if (!run.Conserved)
            {
                error.WriteLine("pgw reconcile treasury: some flow or credit has no label or two (a bug: please report it)");
                return PgwCommand.Failure;
            }
            return PgwCommand.Success;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            error.WriteLine($"pgw reconcile treasury: cannot reach the database: {e.Message}");
            return PgwCommand.Failure;
        }
    }

    // What accounting offices call them.
    private static string Name(TreasuryLabel label) => label switch
    {
        TreasuryLabel.FlowCredited => "receipt+flow+treasury (flow credited)",
        TreasuryLabel.AmountDiffers => "amount differs",
        TreasuryLabel.DuplicateCredit => "duplicate credit",
        TreasuryLabel.AwaitingConfirmation => "awaiting operator confirmation",
        TreasuryLabel.FlowWithoutTreasury => "flow without treasury (credit not arrived)",
        TreasuryLabel.TreasuryWithoutFlow => "treasury without flow",
        _ => "not pagoPA (other income)",
    };

    private static string Summary(TreasuryMatchRun run)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"label",-44}{"flows",8}{"euro declared",18}{"credits",9}{"euro credited",18}");
        foreach (var l in run.Labels)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{Name(l.Label),-44}{Cell(Count(l.Flows), !CreditOnly(l.Label)),8}{Cell(Euro(l.DeclaredCents), !CreditOnly(l.Label)),18}" +
                $"{Cell(Count(l.Credits), l.Label != TreasuryLabel.FlowWithoutTreasury),9}{Cell(Euro(l.CreditedCents), l.Label != TreasuryLabel.FlowWithoutTreasury),18}");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"total",-44}{Count(run.Flows),8}{Euro(run.Labels.Sum(l => l.DeclaredCents)),18}{Count(run.Credits),9}{Euro(run.Labels.Sum(l => l.CreditedCents)),18}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"run {run.RunId}: {run.ResultsAdded:N0} flows and credits with a new or changed label; every flow and credit has {(run.Conserved ? "exactly one label" : "NOT exactly one label")}");
        if (run.Pending.Count > 0)
        {
            text.AppendLine("awaiting confirmation (truncated causale; confirm with `pgw reconcile treasury confirm CREDIT --by NAME`, or refuse):");
            foreach (var p in run.Pending)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  credit {p.CreditPk}  {p.BookingDate:yyyy-MM-dd}  {Euro(p.AmountCents)}  causale \"{OneLine(p.Remittance)}\"");
                text.AppendLine(CultureInfo.InvariantCulture, $"    -> flow {p.FlowId} (PSP {p.PspId}), confidence {p.Confidence}%");
            }
        }
        return text.ToString();
    }

    private static string Details(IReadOnlyList<TreasuryItem> items)
    {
        var text = new StringBuilder();
        text.AppendLine("anomalies:");
        foreach (var i in items)
        {
            var what = i.IsCredit
                ? string.Create(CultureInfo.InvariantCulture, $"credit {i.CreditPk} {i.BookingDate:yyyy-MM-dd} {Euro(i.CreditedCents ?? 0)} \"{OneLine(i.Remittance ?? "")}\"")
                : string.Create(CultureInfo.InvariantCulture, $"flow {i.FlowId} (PSP {i.PspId}) declares {Euro(i.DeclaredCents ?? 0)}");
            var against = i.IsCredit
                ? (i.FlowId is null ? "" : string.Create(CultureInfo.InvariantCulture, $" -> flow {i.FlowId} declares {Euro(i.DeclaredCents ?? 0)}"))
                : (i.CreditedCents is { } c ? string.Create(CultureInfo.InvariantCulture, $", credited {Euro(c)}") : "");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Name(Enum.Parse<TreasuryLabel>(i.Label)),-44}{what}{against}");
        }
        return text.ToString();
    }

    // Flows never carry these labels, credits never "flow without treasury": their cells say so instead of 0.
    private static bool CreditOnly(TreasuryLabel label) => label is TreasuryLabel.DuplicateCredit or TreasuryLabel.TreasuryWithoutFlow or TreasuryLabel.NotPagoPa;

    private static string Cell(string value, bool applicable) => applicable ? value : "-";

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Euro(long cents) => string.Create(CultureInfo.InvariantCulture, $"{cents / 100:N0}.{Math.Abs(cents % 100):00}");

    // The bank's Ustrd lines on one line, each cut shown.
    private static string OneLine(string text) => text.Replace("\n", " | ", StringComparison.Ordinal);
}
