using System.Globalization;
using PaymentGateway.Core;

namespace PaymentGateway.Reconciliation.Treasury;

/// <summary>One credit of a bank statement (a booked camt.053 entry with CdtDbtInd CRDT, or a CSV row with a positive amount).</summary>
/// <param name="StatementIndex">Which statement of the file it belongs to (0 for CSV; the n-th &lt;Stmt&gt; for camt.053).</param>
/// <param name="Line">Line of the file where the entry starts (for error reports and for the operator).</param>
/// <param name="BookingDate">Booking date (camt.053 BookgDt).</param>
/// <param name="ValueDate">Value date (camt.053 ValDt), if given.</param>
/// <param name="Amount">The amount credited, always positive.</param>
/// <param name="Remittance">The causale: camt.053 Ustrd lines (and a structured reference) separated by line breaks; empty if none.</param>
/// <param name="Trn">The transfer's reference: camt.053 TxId, else the transaction's or entry's AcctSvcrRef; CSV: the mapped column.</param>
/// <param name="EndToEndId">camt.053 EndToEndId (not "NOTPROVIDED"), if given.</param>
/// <param name="BankReference">The bank's own reference of the entry (camt.053 Ntry/AcctSvcrRef; CSV: the reference column), if given:
/// it tells an entry repeated in an overlapping statement from a second credit.</param>
/// <param name="OrderingParty">Who sent the money (camt.053 Dbtr name; for pagoPA settlements "&lt;PSP&gt; Servizio pagoPA"), if given.</param>
public sealed record StatementCredit(int StatementIndex, int Line, DateOnly BookingDate, DateOnly? ValueDate, EuroCents Amount, string Remittance,
    string? Trn, string? EndToEndId, string? BankReference, string? OrderingParty);

/// <summary>A statement as a whole, announced by the reader after its entries.</summary>
/// <param name="Index">The statement's index in the file (see <see cref="StatementCredit.StatementIndex"/>).</param>
/// <param name="Line">Where it starts.</param>
/// <param name="Format">"camt.053" or "csv".</param>
/// <param name="Version">camt.053: the message version of the namespace (e.g. "001.08"); CSV: null.</param>
/// <param name="StatementId">camt.053 Stmt/Id; CSV: null (a CSV file is identified by its content).</param>
/// <param name="AccountIban">The account the statement is for.</param>
/// <param name="CreatedAt">camt.053 CreDtTm, if given.</param>
/// <param name="FromDate">First day covered (FrToDt, else the earliest booking date), if known.</param>
/// <param name="ToDate">Last day covered, if known.</param>
/// <param name="Credits">Credits handed over.</param>
/// <param name="CreditCents">Their sum.</param>
/// <param name="EntriesIgnored">Entries that are not credits to reconcile: debits, reversals, entries not booked.</param>
public sealed record StatementInfo(int Index, int Line, string Format, string? Version, string? StatementId, string AccountIban, DateTimeOffset? CreatedAt,
    DateOnly? FromDate, DateOnly? ToDate, long Credits, long CreditCents, long EntriesIgnored);

/// <summary>
/// Produces the statements of one file for the <c>TreasuryStatementStore</c>: each credit as it is read, then the
/// statement it belongs to once its entries are done; throws <see cref="StatementRejectedException"/> for a file that
/// cannot be accepted (the store then keeps nothing of it but the rejection).
/// </summary>
public delegate Task StatementSource(Func<StatementCredit, ValueTask> onCredit, Action<StatementInfo> onStatement, CancellationToken cancellationToken);

/// <summary>A statement that cannot be accepted, with the reason (and the line, when one is to blame).</summary>
public sealed class StatementRejectedException(string reason, int? line = null)
    : Exception(line is { } l ? string.Create(CultureInfo.InvariantCulture, $"line {l}: {reason}") : reason)
{
    /// <summary>Why the statement is rejected.</summary>
    public string Reason { get; } = reason;

    /// <summary>The line to look at, if any.</summary>
    public int? Line { get; } = line;
}
