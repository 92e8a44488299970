using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using PaymentGateway.Core;

namespace PaymentGateway.Reconciliation.Fdr;

/// <summary>The header of a reporting flow (FlussoRiversamento, NOTES.md §d.1).</summary>
/// <param name="FlowId">identificativoFlusso.</param>
/// <param name="FlowDateTime">dataOraFlusso (orders revisions of the same flow).</param>
/// <param name="SettlementReference">identificativoUnivocoRegolamento: the TRN of the SCT that credited the money.</param>
/// <param name="SettlementDate">dataRegolamento.</param>
/// <param name="PspIdType">tipoIdentificativoUnivoco of the sender (G, A or B).</param>
/// <param name="PspId">codiceIdentificativoUnivoco of the sender.</param>
/// <param name="PspName">denominazioneMittente, if given.</param>
/// <param name="SettlingBankBic">codiceBicBancaDiRiversamento, if given.</param>
/// <param name="ReceiverFiscalCode">The EC the flow reports to.</param>
/// <param name="ReceiverName">denominazioneRicevente, if given.</param>
/// <param name="DeclaredCount">numeroTotalePagamenti.</param>
/// <param name="DeclaredTotal">importoTotalePagamenti.</param>
/// <param name="Revision">The API's revision number; null for files, whose revisions are ordered by <paramref name="FlowDateTime"/>.</param>
public sealed record FdrHeader(string FlowId, DateTime FlowDateTime, string SettlementReference, DateOnly SettlementDate, string PspIdType, string PspId,
    string? PspName, string? SettlingBankBic, string ReceiverFiscalCode, string? ReceiverName, long DeclaredCount, EuroCents DeclaredTotal,
    long? Revision = null);

/// <summary>One reported transfer (datiSingoliPagamenti).</summary>
/// <param name="Line">Line of the file where the row starts (for error reports).</param>
/// <param name="Iuv">identificativoUnivocoVersamento.</param>
/// <param name="Iur">identificativoUnivocoRiscossione: the receipt's receiptId.</param>
/// <param name="TransferIndex">indiceDatiSingoloPagamento (the receipt transfer's idTransfer), if given.</param>
/// <param name="Amount">singoloImportoPagato; negative for revocations (code 3).</param>
/// <param name="OutcomeCode">codiceEsitoSingoloPagamento: 0, 3, 4, 8 or 9.</param>
/// <param name="OutcomeDate">dataEsitoSingoloPagamento.</param>
public sealed record FdrRow(int Line, string Iuv, string Iur, int? TransferIndex, EuroCents Amount, int OutcomeCode, DateOnly OutcomeDate);

/// <summary>A flow that cannot be accepted, with the reason (and the line, when one is to blame).</summary>
public sealed class FdrRejectedException(string reason, int? line = null)
    : Exception(line is { } l ? string.Create(CultureInfo.InvariantCulture, $"line {l}: {reason}") : reason)
{
    /// <summary>Why the flow is rejected.</summary>
    public string Reason { get; } = reason;

    /// <summary>The line to look at, if any.</summary>
    public int? Line { get; } = line;
}

/// <summary>
/// Reads a FlussoRiversamento (versions 1_0_4 and 1_0_5) as a stream: the header first, then each row handed to the
/// caller as it is read, so a flow of a million rows never sits in memory. Lenient where the official schemas disagree
/// (NOTES.md §d.1: outcome codes 0/3/4/8/9, signed amounts), strict where the money is: amounts with exactly two
/// decimals, the declared count and total equal to the rows, the right namespace, no DTD. Any problem rejects the
/// whole flow with a reason; the caller must treat rows already handed over as provisional until this returns.
/// </summary>
public static class FlussoRiversamentoReader
{
    /// <summary>The namespace of every FlussoRiversamento version.</summary>
    public const string Namespace = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/";

    private static readonly int[] OutcomeCodes = [0, 3, 4, 8, 9];

    /// <summary>Reads <paramref name="stream"/>, calling <paramref name="onRow"/> for each row in file order.</summary>
    /// <param name="stream">The XML document.</param>
    /// <param name="onRow">Receives each row as it is read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="onHeader">Receives the header once it is complete, before the first row (not yet checked against the rows).</param>
    /// <returns>The header; its declared count and total have been checked against the rows.</returns>
    /// <exception cref="FdrRejectedException">The flow is malformed or inconsistent.</exception>
    public static async Task<FdrHeader> ReadAsync(Stream stream, Func<FdrRow, ValueTask> onRow, CancellationToken cancellationToken,
        Action<FdrHeader>? onHeader = null)
    {
        ArgumentNullException.ThrowIfNull(onRow);
        using var reader = SafeXml.Open(stream);
        var info = (IXmlLineInfo)reader;
        try
        {
            await reader.MoveToContentAsync();
            if (reader.LocalName != "FlussoRiversamento" || reader.NamespaceURI != Namespace)
            {
                throw new FdrRejectedException($"expected <FlussoRiversamento xmlns=\"{Namespace}\">, found <{reader.LocalName} xmlns=\"{reader.NamespaceURI}\">", info.LineNumber);
            }
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            long rows = 0;
            long sum = 0;
            FdrHeader? header = null;
            // The header ends where the first row (or, malformed, the flow) begins; the caller hears of it once.
            FdrHeader CompleteHeader()
            {
                var complete = Header(fields, info.LineNumber);
                onHeader?.Invoke(complete);
                return complete;
            }
            await reader.ReadAsync();
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType != XmlNodeType.Element)
                {
                    await reader.ReadAsync();
                    continue;
                }
                if (reader.NamespaceURI != Namespace)
                {
                    throw new FdrRejectedException($"<{reader.LocalName}> is in namespace '{reader.NamespaceURI}', not {Namespace}", info.LineNumber);
                }
                if (reader.LocalName == "datiSingoliPagamenti")
                {
                    header ??= CompleteHeader();
                    var line = info.LineNumber;
                    var row = Row(await ReadRowLeavesAsync(reader, line), line);
                    rows++;
                    sum += row.Amount.Cents;
                    await onRow(row);
                    continue;
                }
                if (reader.LocalName is "istitutoMittente" or "istitutoRicevente")
                {
                    var prefix = reader.LocalName == "istitutoMittente" ? "mittente." : "ricevente.";
                    foreach (var (name, value) in await ReadLeavesAsync(reader, info, cancellationToken))
                    {
                        fields[prefix + name] = value;
                    }
                    continue;
                }
                var field = reader.LocalName;
                fields[field] = (await reader.ReadElementContentAsStringAsync()).Trim();
            }
            header ??= CompleteHeader();
            CheckTotals(header, rows, sum, "numeroTotalePagamenti", "importoTotalePagamenti");
            return header;
        }
        catch (XmlException e)
        {
            throw new FdrRejectedException($"not well-formed XML: {e.Message}", e.LineNumber);
        }
    }

    /// <summary>Rejects a flow whose declared count or total (named as the source names them) differs from its rows.</summary>
    internal static void CheckTotals(FdrHeader header, long rows, long sum, string countName, string totalName)
    {
        if (rows != header.DeclaredCount)
        {
            throw new FdrRejectedException(string.Create(CultureInfo.InvariantCulture, $"{countName} is {header.DeclaredCount} but the flow has {rows} rows"));
        }
        if (sum != header.DeclaredTotal.Cents)
        {
            throw new FdrRejectedException($"{totalName} is {header.DeclaredTotal} but the rows add up to {EuroCents.FromCents(sum)}");
        }
    }

    // The leaves of the current element (a datiSingoliPagamenti row or an istituto block): small, so read as one
    // XElement each, which keeps memory per row constant however long the flow is.
    private static async Task<List<(string Name, string Value)>> ReadLeavesAsync(XmlReader reader, IXmlLineInfo info, CancellationToken cancellationToken)
    {
        var line = info.LineNumber;
        var element = (XElement)await XNode.ReadFromAsync(reader, cancellationToken);
        var leaves = new List<(string, string)>();
        foreach (var leaf in element.Descendants().Where(d => !d.HasElements))
        {
            if (leaf.Name.NamespaceName != Namespace)
            {
                throw new FdrRejectedException($"<{leaf.Name.LocalName}> is in namespace '{leaf.Name.NamespaceName}', not {Namespace}", line);
            }
            leaves.Add((leaf.Name.LocalName, leaf.Value.Trim()));
        }
        return leaves;
    }

    internal static FdrHeader Header(Dictionary<string, string> f, int? line)
    {
        string Required(string name) => f.TryGetValue(name, out var v) && v.Length > 0
            ? v
            : throw new FdrRejectedException($"<{name.Split('.')[^1]}> is missing", line);
        string? Optional(string name) => f.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        var flowId = Required("identificativoFlusso");
        if (flowId.Length > 35 || !flowId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new FdrRejectedException($"identificativoFlusso '{flowId}' is not [a-zA-Z0-9-_]{{1,35}}", line);
        }
        if (!DateTime.TryParse(Required("dataOraFlusso"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var flowTime))
        {
            throw new FdrRejectedException($"dataOraFlusso '{f["dataOraFlusso"]}' is not a date-time", line);
        }
        if (!long.TryParse(Required("numeroTotalePagamenti"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            throw new FdrRejectedException($"numeroTotalePagamenti '{f["numeroTotalePagamenti"]}' is not a positive integer", line);
        }
        if (!EuroCents.TryParseSigned(Required("importoTotalePagamenti"), out var total))
        {
            throw new FdrRejectedException($"importoTotalePagamenti '{f["importoTotalePagamenti"]}' is not an amount with 2 decimals", line);
        }
        return new FdrHeader(flowId, flowTime, Required("identificativoUnivocoRegolamento"), Date(Required("dataRegolamento"), "dataRegolamento", line),
            Required("mittente.tipoIdentificativoUnivoco"), Required("mittente.codiceIdentificativoUnivoco"), Optional("mittente.denominazioneMittente"),
            Optional("codiceBicBancaDiRiversamento"), Required("ricevente.codiceIdentificativoUnivoco"), Optional("ricevente.denominazioneRicevente"),
            count, total);
    }

    // The six fields of a row, as text (null when absent). The REST JSON fills the same fields (FdrJson), so one set of
    // rules checks both.
    internal struct RowLeaves
    {
        public string? Iuv, Iur, Index, Amount, Code, Date;
    }

    // The leaves of a datiSingoliPagamenti row, read straight off the XmlReader: no tree is built, so a row costs little
    // more than the reader's own scan (a million-row flow is parsed in seconds). Same rules as ReadLeavesAsync: leaves
    // at any depth, the first of a name wins, unknown ones are ignored, every element must be in the FdR namespace.
    private static async Task<RowLeaves> ReadRowLeavesAsync(XmlReader reader, int line)
    {
        var leaves = new RowLeaves();
        if (reader.IsEmptyElement)
        {
            await reader.ReadAsync();
            return leaves;
        }
        var depth = reader.Depth;
        string? leaf = null;
        string? text = null;
        await reader.ReadAsync();
        while (reader.Depth > depth)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.NamespaceURI != Namespace)
                    {
                        throw new FdrRejectedException($"<{reader.LocalName}> is in namespace '{reader.NamespaceURI}', not {Namespace}", line);
                    }
                    if (reader.IsEmptyElement)
                    {
                        Set(ref leaves, reader.LocalName, "");
                        leaf = null;
                    }
                    else
                    {
                        (leaf, text) = (reader.LocalName, null);
                    }
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    if (leaf is not null)
                    {
                        text = text is null ? reader.Value : text + reader.Value;
                    }
                    break;
                case XmlNodeType.EndElement:
                    if (leaf is not null)
                    {
                        Set(ref leaves, leaf, text?.Trim() ?? "");
                        leaf = null;
                    }
                    break;
            }
            await reader.ReadAsync();
        }
        // Past the row's end tag.
        await reader.ReadAsync();
        return leaves;

        static void Set(ref RowLeaves leaves, string name, string value)
        {
            switch (name)
            {
                case "identificativoUnivocoVersamento": leaves.Iuv ??= value; break;
                case "identificativoUnivocoRiscossione": leaves.Iur ??= value; break;
                case "indiceDatiSingoloPagamento": leaves.Index ??= value; break;
                case "singoloImportoPagato": leaves.Amount ??= value; break;
                case "codiceEsitoSingoloPagamento": leaves.Code ??= value; break;
                case "dataEsitoSingoloPagamento": leaves.Date ??= value; break;
            }
        }
    }

    internal static FdrRow Row(RowLeaves leaves, int? line)
    {
        string? Get(string name) => name switch
        {
            "identificativoUnivocoVersamento" => leaves.Iuv,
            "identificativoUnivocoRiscossione" => leaves.Iur,
            "indiceDatiSingoloPagamento" => leaves.Index,
            "singoloImportoPagato" => leaves.Amount,
            "codiceEsitoSingoloPagamento" => leaves.Code,
            _ => leaves.Date,
        };
        string Required(string name) => Get(name) is { Length: > 0 } v ? v : throw new FdrRejectedException($"<{name}> is missing", line);

        var iuv = Required("identificativoUnivocoVersamento");
        var iur = Required("identificativoUnivocoRiscossione");
        if (iuv.Length > 35 || iur.Length > 35)
        {
            throw new FdrRejectedException("IUV and IUR are at most 35 characters", line);
        }
        int? index = null;
        if (Get("indiceDatiSingoloPagamento") is { Length: > 0 } text)
        {
            index = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i is >= 1 and <= 5
                ? i
                : throw new FdrRejectedException($"indiceDatiSingoloPagamento '{text}' is not 1..5", line);
        }
        var amountText = Required("singoloImportoPagato");
        if (!EuroCents.TryParseSigned(amountText, out var amount) || amount.Cents == 0)
        {
            throw new FdrRejectedException($"singoloImportoPagato '{amountText}' is not a non-zero amount with 2 decimals", line);
        }
        var codeText = Required("codiceEsitoSingoloPagamento");
        if (!int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || !OutcomeCodes.Contains(code))
        {
            throw new FdrRejectedException($"codiceEsitoSingoloPagamento '{codeText}' is not one of 0, 3, 4, 8, 9", line);
        }
        if ((amount.Cents < 0) != (code == 3))
        {
            throw new FdrRejectedException(code == 3
                ? $"a revocation (code 3) must carry a negative amount, got {amountText}"
                : $"a negative amount ({amountText}) is only valid for a revocation (code 3)", line);
        }
        return new FdrRow(line ?? 0, iuv, iur, index, amount, code, Date(Required("dataEsitoSingoloPagamento"), "dataEsitoSingoloPagamento", line));
    }

    private static DateOnly Date(string text, string name, int? line) =>
        DateOnly.TryParseExact(text.Length >= 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FdrRejectedException($"{name} '{text}' is not a date (yyyy-MM-dd)", line);
}
