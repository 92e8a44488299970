using System.Xml;
using System.Xml.Linq;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Persistence.Dossier;

/// <summary>One receipt in a citizen's payment history.</summary>
/// <param name="Id">receipts.id (the paging key: newer receipts have larger ids).</param>
/// <param name="Organization">The EC that owns the notice (the receipt's <c>fiscalCode</c>).</param>
/// <param name="OrganizationName">The EC's name, when it is one of ours.</param>
/// <param name="ReceiptId">receiptId (= IUR).</param>
/// <param name="NoticeNumber">The notice paid.</param>
/// <param name="Iuv">creditorReferenceId.</param>
/// <param name="Description">The paid option's description, when the notice is one of ours.</param>
/// <param name="Amount">paymentAmount.</param>
/// <param name="Fee">The fee the payer paid, when the receipt says.</param>
/// <param name="PspName">PSPCompanyName.</param>
/// <param name="PaymentDateTime">paymentDateTime, when given.</param>
/// <param name="Debtor">The receipt's debtor.</param>
/// <param name="Payer">The receipt's payer, when given.</param>
public sealed record ReceiptSummary(long Id, string Organization, string? OrganizationName, string ReceiptId, string NoticeNumber, string Iuv,
    string? Description, EuroCents Amount, EuroCents? Fee, string? PspName, DateTimeOffset? PaymentDateTime, DebtorIdentifier? Debtor,
    DebtorIdentifier? Payer);

/// <summary>One transfer of a receipt, with the beneficiary's name when it is an EC we know.</summary>
/// <param name="IdTransfer">idTransfer 1..5.</param>
/// <param name="Beneficiary">fiscalCodePA.</param>
/// <param name="BeneficiaryName">The beneficiary's name, when known.</param>
/// <param name="Iban">The IBAN credited (null for a digital stamp).</param>
/// <param name="Amount">transferAmount.</param>
/// <param name="RemittanceInformation">remittanceInformation.</param>
/// <param name="Category">transferCategory (taxonomy).</param>
public sealed record ReceiptDetailTransfer(int IdTransfer, string Beneficiary, string? BeneficiaryName, string? Iban, EuroCents Amount,
    string? RemittanceInformation, string? Category);

/// <summary>
/// A whole receipt: the stored columns plus the names only the verbatim receipt holds (companyName, officeName,
/// description, the debtor's and payer's fullName), read from its XML.
/// </summary>
/// <param name="Summary">The history fields.</param>
/// <param name="CompanyName">companyName as the Node sent it.</param>
/// <param name="OfficeName">officeName, when given.</param>
/// <param name="PaymentDescription">description (the receipt's paymentDescription).</param>
/// <param name="DebtorName">debtor fullName.</param>
/// <param name="PayerName">payer fullName, when there is a payer.</param>
/// <param name="PspId">idPSP.</param>
/// <param name="ChannelId">idChannel.</param>
/// <param name="PaymentMethod">paymentMethod, when given.</param>
/// <param name="ApplicationDate">applicationDate, when given.</param>
/// <param name="TransferDate">transferDate, when given.</param>
/// <param name="StandIn">True when paid while the station was in Stand-In.</param>
/// <param name="ReceivedAt">When the Node delivered it to us.</param>
/// <param name="Transfers">transferList, by idTransfer.</param>
public sealed record ReceiptDetail(ReceiptSummary Summary, string? CompanyName, string? OfficeName, string? PaymentDescription, string? DebtorName,
    string? PayerName, string? PspId, string? ChannelId, string? PaymentMethod, DateOnly? ApplicationDate, DateOnly? TransferDate, bool StandIn,
    DateTimeOffset ReceivedAt, IReadOnlyList<ReceiptDetailTransfer> Transfers);

/// <summary>
/// Receipts for the dossier: a citizen's payment history (receipts with outcome OK where they are the debtor or the
/// payer, newest first) and one receipt with its transfers. Receipts of outcome KO are not payments and never shown.
/// </summary>
public sealed class ReceiptHistoryReader(NpgsqlDataSource dataSource)
{
    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxLimit = 100;

    private const string SummaryColumns = """
        r.id, r.organization_fiscal_code, c.name, r.receipt_id, r.notice_number, r.iuv, o.description, r.amount_cents, r.fee_cents,
        r.psp_company_name, r.payment_date_time, r.debtor_type, r.debtor_id, r.payer_type, r.payer_id
        """;

    /// <summary>One page of <paramref name="citizen"/>'s receipts (as debtor or payer), ids below <paramref name="beforeId"/>, newest first.</summary>
    /// <param name="citizen">The citizen (type F).</param>
    /// <param name="beforeId">Keyset cursor (<see cref="long.MaxValue"/> for the first page).</param>
    /// <param name="limit">Receipts per page, 1..<see cref="MaxLimit"/>.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public async Task<IReadOnlyList<ReceiptSummary>> ListAsync(DebtorIdentifier citizen, long beforeId, int limit, CancellationToken cancellationToken)
    {
        // Two index range scans (debtor, payer) merged: an OR over two columns would read both indexes whole.
        const string sql = $"""
            with mine as (
                (select id from receipts where debtor_id = $1 and debtor_type = 'F' and id < $2 and outcome = 'OK' order by id desc limit $3)
                union
                (select id from receipts where payer_id = $1 and payer_type = 'F' and id < $2 and outcome = 'OK' order by id desc limit $3)
            )
            select {SummaryColumns}
            from mine
            join receipts r on r.id = mine.id
            left join creditors c on c.organization_fiscal_code = r.organization_fiscal_code
            left join payment_options o on o.id = r.option_id
            order by r.id desc
            limit $3
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = citizen.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = beforeId });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 1, MaxLimit) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<ReceiptSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(ReadSummary(reader));
        }
        return page;
    }

    /// <summary>The receipt <paramref name="receiptId"/> of <paramref name="organization"/> with outcome OK, or null.</summary>
    /// <param name="organization">The EC owning the notice (the receipt's fiscalCode).</param>
    /// <param name="receiptId">receiptId.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public async Task<ReceiptDetail?> FindAsync(OrganizationFiscalCode organization, string receiptId, CancellationToken cancellationToken)
    {
        const string sql = $"""
            select {SummaryColumns},
                   r.psp_id, r.channel_id, r.payment_method, r.application_date, r.transfer_date, r.stand_in, r.received_at, r.raw_xml,
                   t.id_transfer, t.beneficiary_fiscal_code, b.name, t.iban, t.amount_cents, t.remittance_information, t.taxonomy
            from receipts r
            left join creditors c on c.organization_fiscal_code = r.organization_fiscal_code
            left join payment_options o on o.id = r.option_id
            left join receipt_transfers t on t.receipt_pk = r.id
            left join creditors b on b.organization_fiscal_code = t.beneficiary_fiscal_code
            where r.organization_fiscal_code = $1 and r.receipt_id = $2 and r.outcome = 'OK'
            order by t.id_transfer
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = organization.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = receiptId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        ReceiptSummary? summary = null;
        (string? PspId, string? Channel, string? Method, DateOnly? Application, DateOnly? Transfer, bool StandIn, DateTimeOffset ReceivedAt, string? Raw) more = default;
        var transfers = new List<ReceiptDetailTransfer>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (summary is null)
            {
                summary = ReadSummary(reader);
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                DateOnly? Day(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateOnly>(i);
                more = (Text(15), Text(16), Text(17), Day(18), Day(19), reader.GetBoolean(20), reader.GetFieldValue<DateTimeOffset>(21), reader.GetString(22));
            }
            if (!reader.IsDBNull(23))
            {
                transfers.Add(new ReceiptDetailTransfer(reader.GetInt16(23), reader.GetString(24), reader.IsDBNull(25) ? null : reader.GetString(25),
                    reader.IsDBNull(26) ? null : reader.GetString(26), EuroCents.FromCents(reader.GetInt64(27)),
                    reader.IsDBNull(28) ? null : reader.GetString(28), reader.IsDBNull(29) ? null : reader.GetString(29)));
            }
        }
        if (summary is null)
        {
            return null;
        }
        var names = ReceiptNames.From(more.Raw!);
        return new ReceiptDetail(summary, names.CompanyName, names.OfficeName, names.Description, names.DebtorName, names.PayerName, more.PspId,
            more.Channel, more.Method, more.Application, more.Transfer, more.StandIn, more.ReceivedAt, transfers);
    }

    private static ReceiptSummary ReadSummary(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        DebtorIdentifier? Party(int type, int id) =>
            Text(type) is [var t] && Text(id) is { } value && DebtorIdentifier.TryCreate((EntityType)t, value, out var party, out _) ? party : null;
        return new ReceiptSummary(r.GetInt64(0), r.GetString(1), Text(2), r.GetString(3), r.GetString(4), r.GetString(5), Text(6),
            EuroCents.FromCents(r.GetInt64(7)), r.IsDBNull(8) ? null : EuroCents.FromCents(r.GetInt64(8)), Text(9),
            r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), Party(11, 12), Party(13, 14));
    }

    /// <summary>The receipt's names, read from the verbatim request (a paSendRT[V2] envelope, or a bare receipt element).</summary>
    private readonly record struct ReceiptNames(string? CompanyName, string? OfficeName, string? Description, string? DebtorName, string? PayerName)
    {
        public static ReceiptNames From(string rawXml)
        {
            try
            {
                // The text was accepted by the SOAP reader already; still, no DTDs and no resolver.
                var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
                using var reader = XmlReader.Create(new StringReader(rawXml), settings);
                var receipt = XDocument.Load(reader).Descendants().FirstOrDefault(e => e.Name.LocalName == "receipt");
                if (receipt is null)
                {
                    return default;
                }
                static string? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
                static XElement? Element(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);
                return new ReceiptNames(Child(receipt, "companyName"), Child(receipt, "officeName"), Child(receipt, "description"),
                    Child(Element(receipt, "debtor"), "fullName"), Child(Element(receipt, "payer"), "fullName"));
            }
            catch (XmlException)
            {
                return default;
            }
        }
    }
}
