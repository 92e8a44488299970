using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using PaymentGateway.Core;

namespace PaymentGateway.Reconciliation.Treasury;

/// <summary>
/// Reads an ISO 20022 camt.053 bank-to-customer statement (BkToCstmrStmt) as a stream: each &lt;Ntry&gt; is read as one
/// small element and its credits handed to the caller, so a statement of any length never sits in memory. The message
/// version is read from the namespace leniently (camt.053.001.02 and .08 are the ones seen in Italy; any 001.NN is read
/// with the same element names, and the two places where they differ — Sts and the related parties — both ways).
/// Strict where the money is: euro only, no fraction of a cent, the transaction summary (TxsSummry) and the balances
/// (opening + credits − debits = closing), when the bank gives them, must agree with the entries; a batch entry split
/// into transactions must add up. Anything wrong rejects the whole file with the reason and the line.
/// </summary>
public static partial class Camt053Reader
{
    /// <summary>The namespace of every camt.053 version, without the version (e.g. <c>…camt.053.001.08</c>).</summary>
    public const string NamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.";

    private const string IsoNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";

    /// <summary>Reads <paramref name="stream"/>, calling <paramref name="onCredit"/> for each credit to reconcile, in file order.</summary>
    /// <param name="stream">The XML document.</param>
    /// <param name="onCredit">Receives each booked credit (not reversals, not debits).</param>
    /// <param name="onStatement">Receives each &lt;Stmt&gt; after its entries (checked).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="StatementRejectedException">The file is not a camt.053 statement, or is malformed or inconsistent.</exception>
    public static async Task ReadAsync(Stream stream, Func<StatementCredit, ValueTask> onCredit, Action<StatementInfo> onStatement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onCredit);
        ArgumentNullException.ThrowIfNull(onStatement);
        using var reader = SafeXml.Open(stream);
        var info = (IXmlLineInfo)reader;
        try
        {
            await reader.MoveToContentAsync();
            var ns = reader.NamespaceURI;
            var version = Version(reader.LocalName, ns, info.LineNumber);
            var statements = 0;
            await reader.ReadAsync();
            // Document > BkToCstmrStmt > (GrpHdr, Stmt+, SplmtryData*)
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "Document"))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType != XmlNodeType.Element)
                {
                    await reader.ReadAsync();
                    continue;
                }
                if (reader.NamespaceURI == ns && reader.LocalName == "BkToCstmrStmt")
                {
                    await reader.ReadAsync();
                    continue;
                }
                if (reader.NamespaceURI == ns && reader.LocalName == "Stmt")
                {
                    await ReadStatementAsync(reader, info, ns, version, statements++, onCredit, onStatement, cancellationToken);
                    continue;
                }
                // GrpHdr, SplmtryData, anything of another namespace: not needed.
                await reader.SkipAsync();
            }
            if (statements == 0)
            {
                throw new StatementRejectedException("the document has no <Stmt>");
            }
        }
        catch (XmlException e)
        {
            throw new StatementRejectedException($"not well-formed XML: {e.Message}", e.LineNumber);
        }
    }

    private static string Version(string root, string ns, int line)
    {
        if (root == "Document" && ns.StartsWith(IsoNamespacePrefix, StringComparison.Ordinal))
        {
            var message = MessageName().Match(ns[IsoNamespacePrefix.Length..]);
            if (message.Success && message.Groups["type"].Value == "053")
            {
                return message.Groups["variant"].Value + "." + message.Groups["version"].Value;
            }
            var what = message.Success ? message.Groups["type"].Value switch
            {
                "052" => "camt.052 (an intraday account report)",
                "054" => "camt.054 (a debit/credit notification)",
                _ => "camt." + message.Groups["type"].Value,
            } : ns[IsoNamespacePrefix.Length..];
            throw new StatementRejectedException($"this is {what}, not a camt.053 end-of-day statement (namespace {ns})", line);
        }
        throw new StatementRejectedException($"expected <Document xmlns=\"{NamespacePrefix}001.NN\">, found <{root} xmlns=\"{ns}\">", line);
    }

    private static async Task ReadStatementAsync(XmlReader reader, IXmlLineInfo info, string ns, string version, int index,
        Func<StatementCredit, ValueTask> onCredit, Action<StatementInfo> onStatement, CancellationToken cancellationToken)
    {
        var statementLine = info.LineNumber;
        XName N(string local) => XName.Get(local, ns);
        string? id = null;
        string? iban = null;
        DateTimeOffset? created = null;
        DateOnly? from = null;
        DateOnly? to = null;
        long? opening = null;
        long? closing = null;
        XElement? summary = null;
        int summaryLine = 0;
        long credits = 0, creditCents = 0, ignored = 0;
        long bookedCredits = 0, bookedDebits = 0;
        long creditEntries = 0, creditEntryCents = 0, debitEntries = 0, debitEntryCents = 0;
        DateOnly? firstBooking = null, lastBooking = null;

        if (reader.IsEmptyElement)
        {
            throw new StatementRejectedException("<Stmt> is empty", statementLine);
        }
        await reader.ReadAsync();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "Stmt") && !reader.EOF)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.NodeType != XmlNodeType.Element)
            {
                await reader.ReadAsync();
                continue;
            }
            var line = info.LineNumber;
            if (reader.NamespaceURI != ns)
            {
                await reader.SkipAsync();
                continue;
            }
            var name = reader.LocalName;
            // Every child of <Stmt> is small (an entry is a few dozen elements): read one at a time.
            var element = (XElement)await XNode.ReadFromAsync(reader, cancellationToken);
            switch (name)
            {
                case "Id":
                    id = element.Value.Trim();
                    break;
                case "CreDtTm":
                    created = ParseDateTime(element.Value, "CreDtTm", line);
                    break;
                case "FrToDt":
                    from = element.Element(N("FrDtTm")) is { } f ? RomeDate(ParseDateTime(f.Value, "FrDtTm", line)) : null;
                    to = element.Element(N("ToDtTm")) is { } t ? RomeDate(ParseDateTime(t.Value, "ToDtTm", line)) : null;
                    break;
                case "Acct":
                    iban = element.Element(N("Id"))?.Element(N("IBAN"))?.Value.Trim();
                    if (iban is null || !Iban.TryParse(iban, out _))
                    {
                        throw new StatementRejectedException(iban is null ? "the statement's account (Acct/Id) has no IBAN" : $"account IBAN '{iban}' is not valid", line);
                    }
                    if (element.Element(N("Ccy"))?.Value.Trim() is { Length: > 0 } currency && currency != "EUR")
                    {
                        throw new StatementRejectedException($"the account's currency is {currency}; only euro accounts are reconciled", line);
                    }
                    break;
                case "Bal":
                    var code = element.Element(N("Tp"))?.Element(N("CdOrPrtry"))?.Element(N("Cd"))?.Value.Trim();
                    var balance = Signed(Amount(element, ns, "Bal/Amt", line), element.Element(N("CdtDbtInd"))?.Value.Trim(), "Bal", line);
                    if (code is "OPBD" or "PRCD")
                    {
                        opening ??= balance;
                    }
                    else if (code == "CLBD")
                    {
                        closing = balance;
                    }
                    break;
                case "TxsSummry":
                    summary = element;
                    summaryLine = line;
                    break;
                case "Ntry":
                    if (iban is null)
                    {
                        throw new StatementRejectedException("<Ntry> before the statement's account (Acct)", line);
                    }
                    var entry = Entry(element, ns, line);
                    if (entry.Credit)
                    {
                        creditEntries++;
                        creditEntryCents += entry.Cents;
                    }
                    else
                    {
                        debitEntries++;
                        debitEntryCents += entry.Cents;
                    }
                    if (entry.Booked)
                    {
                        if (entry.Credit)
                        {
                            bookedCredits += entry.Cents;
                        }
                        else
                        {
                            bookedDebits += entry.Cents;
                        }
                    }
                    if (!entry.Credit || entry.Reversal || !entry.Booked)
                    {
                        ignored++;
                        break;
                    }
                    foreach (var credit in Credits(element, ns, index, line, entry))
                    {
                        credits++;
                        creditCents += credit.Amount.Cents;
                        firstBooking = firstBooking is { } a && a <= credit.BookingDate ? a : credit.BookingDate;
                        lastBooking = lastBooking is { } b && b >= credit.BookingDate ? b : credit.BookingDate;
                        await onCredit(credit);
                    }
                    break;
                default:
                    // ElctrncSeqNb, LglSeqNb, RptgSrc, RltdAcct, Intrst, AddtlStmtInf, …: not needed.
                    break;
            }
        }
        await reader.ReadAsync();
        if (string.IsNullOrEmpty(id))
        {
            throw new StatementRejectedException("<Stmt> has no <Id>", statementLine);
        }
        if (iban is null)
        {
            throw new StatementRejectedException("<Stmt> has no account (Acct)", statementLine);
        }
        if (summary is not null)
        {
            CheckSummary(summary, ns, summaryLine, ("TtlCdtNtries", creditEntries, creditEntryCents), ("TtlDbtNtries", debitEntries, debitEntryCents));
        }
        if (opening is { } open && closing is { } close && open + bookedCredits - bookedDebits != close)
        {
            throw new StatementRejectedException(
                $"opening balance {EuroCents.FromCents(open)} + booked credits {EuroCents.FromCents(bookedCredits)} − booked debits {EuroCents.FromCents(bookedDebits)} " +
                $"is not the closing balance {EuroCents.FromCents(close)}: entries are missing or wrong", statementLine);
        }
        onStatement(new StatementInfo(index, statementLine, "camt.053", version, id, iban, created, from ?? firstBooking, to ?? lastBooking, credits, creditCents, ignored));
    }

    private sealed record EntryHead(long Cents, bool Credit, bool Reversal, bool Booked, DateOnly? BookingDate, DateOnly? ValueDate, string? BankReference,
        string? AdditionalInfo);

    private static EntryHead Entry(XElement e, string ns, int line)
    {
        XName N(string local) => XName.Get(local, ns);
        var cents = Amount(e, ns, "Ntry/Amt", line);
        var indicator = e.Element(N("CdtDbtInd"))?.Value.Trim();
        if (indicator is not ("CRDT" or "DBIT"))
        {
            throw new StatementRejectedException($"Ntry/CdtDbtInd is '{indicator}', expected CRDT or DBIT", line);
        }
        var reversal = e.Element(N("RvslInd"))?.Value.Trim() is "true" or "1";
        // .02: <Sts>BOOK</Sts>; .08 and later: <Sts><Cd>BOOK</Cd></Sts>. No status at all: booked (a statement's entries are).
        var status = e.Element(N("Sts")) is { } s ? (s.Element(N("Cd"))?.Value ?? s.Value).Trim() : "BOOK";
        var booked = status == "BOOK";
        var booking = DateOf(e.Element(N("BookgDt")), ns, "BookgDt", line);
        if (booked && booking is null)
        {
            throw new StatementRejectedException("a booked entry has no BookgDt", line);
        }
        return new EntryHead(cents, indicator == "CRDT", reversal, booked, booking, DateOf(e.Element(N("ValDt")), ns, "ValDt", line),
            Text(e.Element(N("AcctSvcrRef"))), Text(e.Element(N("AddtlNtryInf"))));
    }

    // The credits of a booked credit entry: one, or one per transaction of a batch entry whose transactions carry amounts.
    private static List<StatementCredit> Credits(XElement e, string ns, int index, int line, EntryHead entry)
    {
        XName N(string local) => XName.Get(local, ns);
        var transactions = e.Elements(N("NtryDtls")).SelectMany(d => d.Elements(N("TxDtls"))).ToList();
        var amounts = transactions.Select(t => TransactionAmount(t, ns, line)).ToList();
        if (transactions.Count > 1 && amounts.All(a => a is not null))
        {
            var sum = amounts.Sum(a => a!.Value);
            if (sum != entry.Cents)
            {
                throw new StatementRejectedException(
                    $"the entry's {transactions.Count} transactions add up to {EuroCents.FromCents(sum)}, not to its amount {EuroCents.FromCents(entry.Cents)}", line);
            }
            return [.. transactions.Select((t, i) => Credit(t, ns, index, line, entry, amounts[i]!.Value,
                entry.BankReference is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r}/{i + 1}") : null, null))];
        }
        // One transaction (or several without their own amounts): one credit for the entry, every causale kept.
        var remittance = transactions.Count > 1 ? string.Join('\n', transactions.Select(t => Remittance(t, ns)).Where(r => r.Length > 0)) : null;
        return [Credit(transactions.FirstOrDefault(), ns, index, line, entry, entry.Cents, entry.BankReference, remittance)];
    }

    private static StatementCredit Credit(XElement? tx, string ns, int index, int line, EntryHead entry, long cents, string? bankReference, string? remittance)
    {
        XName N(string local) => XName.Get(local, ns);
        var refs = tx?.Element(N("Refs"));
        var endToEnd = Text(refs?.Element(N("EndToEndId")));
        if (endToEnd is "NOTPROVIDED")
        {
            endToEnd = null;
        }
        var trn = Text(refs?.Element(N("TxId"))) ?? Text(refs?.Element(N("AcctSvcrRef"))) ?? entry.BankReference;
        // .02: RltdPties/Dbtr/Nm; .08 and later: RltdPties/Dbtr/Pty/Nm. Then the ultimate debtor, then the debtor's bank.
        var parties = tx?.Element(N("RltdPties"));
        string? PartyName(string role) => parties?.Element(N(role)) is { } p ? Text(p.Element(N("Nm"))) ?? Text(p.Element(N("Pty"))?.Element(N("Nm"))) : null;
        var orderingParty = PartyName("Dbtr") ?? PartyName("UltmtDbtr")
            ?? Text(tx?.Element(N("RltdAgts"))?.Element(N("DbtrAgt"))?.Element(N("FinInstnId"))?.Element(N("Nm")));
        remittance ??= tx is null ? string.Empty : Remittance(tx, ns);
        if (remittance.Length == 0)
        {
            // Some banks put the causale only in the free text of the transaction or of the entry.
            remittance = Text(tx?.Element(N("AddtlTxInf"))) ?? entry.AdditionalInfo ?? string.Empty;
        }
        return new StatementCredit(index, line, entry.BookingDate!.Value, entry.ValueDate, EuroCents.FromCents(cents), remittance, trn, endToEnd, bankReference,
            orderingParty);
    }

    // The Ustrd lines as the bank cut them, one per line, then a structured creditor reference if any.
    private static string Remittance(XElement tx, string ns)
    {
        XName N(string local) => XName.Get(local, ns);
        var info = tx.Element(N("RmtInf"));
        if (info is null)
        {
            return string.Empty;
        }
        var lines = info.Elements(N("Ustrd")).Select(u => u.Value.Trim()).Where(u => u.Length > 0).ToList();
        foreach (var structured in info.Elements(N("Strd")))
        {
            if (Text(structured.Element(N("CdtrRefInf"))?.Element(N("Ref"))) is { } reference)
            {
                lines.Add(reference);
            }
            lines.AddRange(structured.Elements(N("AddtlRmtInf")).Select(a => a.Value.Trim()).Where(a => a.Length > 0));
        }
        return string.Join('\n', lines);
    }

    private static long? TransactionAmount(XElement tx, string ns, int line)
    {
        XName N(string local) => XName.Get(local, ns);
        // .08 and later carry TxDtls/Amt; all versions may carry AmtDtls/TxAmt/Amt (or the instructed amount).
        var amount = tx.Element(N("Amt")) ?? tx.Element(N("AmtDtls"))?.Element(N("TxAmt"))?.Element(N("Amt"))
            ?? tx.Element(N("AmtDtls"))?.Element(N("InstdAmt"))?.Element(N("Amt"));
        return amount is null ? null : Cents(amount, "TxDtls amount", line);
    }

    private static void CheckSummary(XElement summary, string ns, int line, params (string Name, long Count, long Cents)[] actual)
    {
        XName N(string local) => XName.Get(local, ns);
        foreach (var (name, count, cents) in actual)
        {
            if (summary.Element(N(name)) is not { } totals)
            {
                continue;
            }
            if (Text(totals.Element(N("NbOfNtries"))) is { } declared
                && (!long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n != count))
            {
                throw new StatementRejectedException(string.Create(CultureInfo.InvariantCulture, $"TxsSummry/{name}/NbOfNtries is {declared} but the statement has {count} such entries"), line);
            }
            if (totals.Element(N("Sum")) is { } sum && Cents(sum, $"TxsSummry/{name}/Sum", line) != cents)
            {
                throw new StatementRejectedException($"TxsSummry/{name}/Sum is {sum.Value.Trim()} but the entries add up to {EuroCents.FromCents(cents)}", line);
            }
        }
    }

    private static long Amount(XElement parent, string ns, string what, int line) =>
        parent.Element(XName.Get("Amt", ns)) is { } amount ? Cents(amount, what, line) : throw new StatementRejectedException($"{what} is missing", line);

    // ISO amounts: up to 5 decimals by the schema; in euro anything past the cent must be zero. The currency must be euro.
    private static long Cents(XElement amount, string what, int line)
    {
        if (amount.Attribute("Ccy")?.Value is { } currency && currency != "EUR")
        {
            throw new StatementRejectedException($"{what} is in {currency}; only euro is reconciled", line);
        }
        var text = amount.Value.Trim();
        var match = IsoAmount().Match(text);
        if (!match.Success)
        {
            throw new StatementRejectedException($"{what} '{text}' is not an amount", line);
        }
        var fraction = match.Groups["fraction"].Value.PadRight(2, '0');
        if (fraction.Length > 2 && fraction[2..].Any(c => c != '0'))
        {
            throw new StatementRejectedException($"{what} '{text}' has a fraction of a cent", line);
        }
        var euros = long.Parse(match.Groups["euros"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        return checked((euros * 100) + int.Parse(fraction.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static long Signed(long cents, string? indicator, string what, int line) => indicator switch
    {
        "CRDT" => cents,
        "DBIT" => -cents,
        _ => throw new StatementRejectedException($"{what}/CdtDbtInd is '{indicator}', expected CRDT or DBIT", line),
    };

    // DateAndDateTimeChoice: <Dt> or <DtTm>.
    private static DateOnly? DateOf(XElement? choice, string ns, string what, int line)
    {
        if (choice is null)
        {
            return null;
        }
        if (choice.Element(XName.Get("Dt", ns)) is { } date)
        {
            return DateOnly.TryParseExact(date.Value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw new StatementRejectedException($"{what}/Dt '{date.Value.Trim()}' is not a date (yyyy-MM-dd)", line);
        }
        if (choice.Element(XName.Get("DtTm", ns)) is { } dateTime)
        {
            return RomeDate(ParseDateTime(dateTime.Value, what + "/DtTm", line));
        }
        throw new StatementRejectedException($"{what} has neither Dt nor DtTm", line);
    }

    // ISODateTime; without an offset it is the bank's local time, Italian.
    private static DateTimeOffset ParseDateTime(string text, string what, int line)
    {
        text = text.Trim();
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            throw new StatementRejectedException($"{what} '{text}' is not a date-time", line);
        }
        return parsed.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(parsed, RomeCalendar.TimeZone.GetUtcOffset(parsed))
            : new DateTimeOffset(parsed.ToUniversalTime(), TimeSpan.Zero);
    }

    private static DateOnly RomeDate(DateTimeOffset instant) => DateOnly.FromDateTime(RomeCalendar.ToRome(instant).DateTime);

    private static string? Text(XElement? element) => element?.Value.Trim() is { Length: > 0 } v ? v : null;

    [GeneratedRegex(@"^camt\.(?<type>\d{3})\.(?<variant>\d{3})\.(?<version>\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex MessageName();

    [GeneratedRegex(@"^(?<euros>\d{1,13})(?:\.(?<fraction>\d{1,5}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoAmount();
}
