using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Receipts;
using PaymentGateway.Persistence.Node;

namespace PaymentGateway.Gateway.Soap.SendReceipt;

/// <summary>
/// paSendRT / paSendRTV2: stores the receipt (verbatim XML, legal value), marks the option paid and writes the
/// outbox event in one durable transaction, then answers OK. Idempotent on (EC, receiptId). A receipt is never refused
/// for the state of its notice: paid twice, after cancel or expiry, or for a notice we do not know, it is stored,
/// answered OK and flagged as an anomaly for a refund case.
/// </summary>
internal sealed partial class SendReceiptHandler(ReceiptStore receipts, TimeProvider time, ILogger<SendReceiptHandler> logger)
{
    public async Task<NodeOutcome<Action<XmlWriter>>> HandleAsync(SoapRequest request, CancellationToken cancellationToken)
    {
        var element = request.Payload.Element("receipt")!;
        var receipt = Parse(element);
        var result = await receipts.StoreAsync(receipt, request.Child("idPA")!, request.Operation.Name, request.RawXml, ContentHash(element), time.GetUtcNow(), cancellationToken);
        if (result.Outcome == ReceiptStoreOutcome.ConflictingRedelivery)
        {
            LogConflict(logger, receipt.Creditor, receipt.NoticeNumber);
        }
        else if (result is { Outcome: ReceiptStoreOutcome.Stored, Anomaly: { } anomaly })
        {
            LogAnomaly(logger, receipt.Creditor, receipt.NoticeNumber, anomaly);
        }
        return new Action<XmlWriter>(_ => { });
    }

    /// <summary>
    /// SHA-256 of the receipt element as the Node serialised it, without insignificant whitespace: identical
    /// redeliveries hash the same whatever their indentation or envelope prefixes.
    /// </summary>
    internal static byte[] ContentHash(XElement receipt)
    {
        // The bytes of receipt.ToString(SaveOptions.DisableFormatting) in UTF-8 (the hashes stored so far are of those),
        // written straight to a buffer: no string of the whole receipt, no second encoding pass.
        using var buffer = new MemoryStream(4096);
        using (var writer = XmlWriter.Create(buffer, HashWriterSettings))
        {
            receipt.WriteTo(writer);
        }
        return SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static readonly XmlWriterSettings HashWriterSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        Indent = false,
    };

    /// <summary>Reads a schema-valid ctReceipt / ctReceiptV2.</summary>
    internal static PaymentReceipt Parse(XElement r)
    {
        string? Text(XElement parent, string name) => parent.Element(name)?.Value;
        EuroCents? Money(string name) => Text(r, name) is { } v ? EuroCents.ParseXsdAmount(v) : null;
        DateOnly? Day(string name) => Text(r, name) is { } v ? DateOnly.ParseExact(v[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        var debtor = r.Element("debtor")!.Element("uniqueIdentifier")!;
        var payer = r.Element("payer")?.Element("uniqueIdentifier");
        var transfers = r.Element("transferList")!.Elements("transfer").Select(t => new ReceiptTransfer(
            int.Parse(Text(t, "idTransfer")!, CultureInfo.InvariantCulture),
            Text(t, "fiscalCodePA")!,
            Text(t, "IBAN"),
            EuroCents.ParseXsdAmount(Text(t, "transferAmount")!),
            Text(t, "transferCategory")!,
            Text(t, "remittanceInformation")!,
            t.Element("metadata")?.Elements("mapEntry").Select(m => new KeyValuePair<string, string>(Text(m, "key")!, Text(m, "value")!)).ToList() ?? [])).ToList();
        return new PaymentReceipt(
            Text(r, "receiptId")!,
            Text(r, "noticeNumber")!,
            Text(r, "fiscalCode")!,
            Text(r, "outcome")!,
            Text(r, "creditorReferenceId")!,
            EuroCents.ParseXsdAmount(Text(r, "paymentAmount")!),
            Money("fee"),
            Money("primaryCiIncurredFee"),
            Text(r, "idPSP")!,
            Text(r, "PSPCompanyName")!,
            Text(r, "idChannel")!,
            Text(r, "paymentMethod"),
            Text(r, "paymentDateTime") is { } when ? ParseDateTime(when) : null,
            Day("applicationDate"),
            Day("transferDate"),
            Text(debtor, "entityUniqueIdentifierType")![0],
            Text(debtor, "entityUniqueIdentifierValue")!,
            payer is null ? null : Text(payer, "entityUniqueIdentifierType")![0],
            payer is null ? null : Text(payer, "entityUniqueIdentifierValue"),
            Text(r, "standIn") is "true" or "1",
            transfers);
    }

    // xsd:dateTime may come without an offset; the Node's clock is Italian time, so such values are read as Europe/Rome.
    private static DateTimeOffset ParseDateTime(string text)
    {
        var value = XmlConvert.ToDateTime(text, XmlDateTimeSerializationMode.RoundtripKind);
        return value.Kind switch
        {
            DateTimeKind.Utc => new DateTimeOffset(value, TimeSpan.Zero),
            DateTimeKind.Local => new DateTimeOffset(value),
            _ => new DateTimeOffset(value, RomeCalendar.TimeZone.GetUtcOffset(value)),
        };
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Receipt for {Creditor} notice {NoticeNumber} stored with anomaly {Anomaly}")]
    private static partial void LogAnomaly(ILogger logger, string creditor, string noticeNumber, ReceiptAnomaly anomaly);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Receipt for {Creditor} notice {NoticeNumber} redelivered with different content; kept in receipt_conflicts")]
    private static partial void LogConflict(ILogger logger, string creditor, string noticeNumber);
}
