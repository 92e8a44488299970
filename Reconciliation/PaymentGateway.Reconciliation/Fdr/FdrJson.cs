using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaymentGateway.Reconciliation.Fdr;

/// <summary>
/// pagoPA's FdR REST shapes (fdr-org OpenAPI: SingleFlowResponse, Payment, the paginated lists) and their mapping onto
/// the FlussoRiversamento fields. The OpenAPI documents each JSON field as "mappable with" one XML element, so the JSON
/// is turned into those fields and checked by the same rules as a file (<see cref="FlussoRiversamentoReader"/>);
/// rejection messages therefore name the XML field.
/// </summary>
internal static class FdrJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string> PspIdTypes = new(StringComparer.Ordinal)
    {
        ["LEGAL_PERSON"] = "G",
        ["ABI_CODE"] = "A",
        ["BIC_CODE"] = "B",
    };

    private static readonly Dictionary<string, string> PayStatuses = new(StringComparer.Ordinal)
    {
        ["EXECUTED"] = "0",
        ["REVOKED"] = "3",
        ["STAND_IN"] = "4",
        ["STAND_IN_NO_RPT"] = "8",
        ["NO_RPT"] = "9",
    };

    /// <summary>The header of <paramref name="flow"/>, or a rejection naming what is wrong.</summary>
    public static FdrHeader Header(FlowJson flow)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string name, string? value)
        {
            if (value is { Length: > 0 })
            {
                fields[name] = value.Trim();
            }
        }
        Put("identificativoFlusso", flow.Fdr);
        Put("dataOraFlusso", flow.FdrDate);
        Put("identificativoUnivocoRegolamento", flow.Regulation);
        Put("dataRegolamento", flow.RegulationDate);
        Put("codiceBicBancaDiRiversamento", flow.BicCodePouringBank);
        Put("mittente.tipoIdentificativoUnivoco", flow.Sender?.Type is { } type ? PspIdTypes.GetValueOrDefault(type, type) : null);
        Put("mittente.codiceIdentificativoUnivoco", flow.Sender?.Id);
        Put("mittente.denominazioneMittente", flow.Sender?.PspName);
        Put("ricevente.codiceIdentificativoUnivoco", flow.Receiver?.Id ?? flow.Receiver?.OrganizationId);
        Put("ricevente.denominazioneRicevente", flow.Receiver?.OrganizationName);
        Put("numeroTotalePagamenti", flow.TotPayments?.ToString(CultureInfo.InvariantCulture));
        Put("importoTotalePagamenti", Amount(flow.SumPayments));
        return FlussoRiversamentoReader.Header(fields, null) with { Revision = flow.Revision };
    }

    /// <summary>One payment as a row; its <c>index</c> stands in for the line number (and names it in messages).</summary>
    public static FdrRow Row(PaymentJson payment)
    {
        var line = (int)Math.Clamp(payment.Index ?? 0, 0, int.MaxValue);
        static string? Text(string? value) => value is { Length: > 0 } ? value.Trim() : null;
        var fields = new FlussoRiversamentoReader.RowLeaves
        {
            Iuv = Text(payment.Iuv),
            Iur = Text(payment.Iur),
            Index = payment.IdTransfer?.ToString(CultureInfo.InvariantCulture),
            Amount = Amount(payment.Pay),
            Code = payment.PayStatus is { } status ? PayStatuses.GetValueOrDefault(status, status) : null,
            Date = Text(payment.PayDate),
        };
        try
        {
            return FlussoRiversamentoReader.Row(fields, null) with { Line = line };
        }
        catch (FdrRejectedException e)
        {
            throw new FdrRejectedException(string.Create(CultureInfo.InvariantCulture, $"payment index {payment.Index}: {e.Reason}"));
        }
    }

    // A JSON number has no trailing zeros to keep (10.5 is 10.50): pad to the two decimals the amount rules expect;
    // more than two decimals or an exponent stay as they are and are rejected there.
    private static string? Amount(string? number)
    {
        if (number is null || !number.All(c => char.IsAsciiDigit(c) || c is '-' or '.'))
        {
            return number;
        }
        var dot = number.IndexOf('.', StringComparison.Ordinal);
        var decimals = dot < 0 ? 0 : number.Length - dot - 1;
        return decimals switch
        {
            0 when dot < 0 => number + ".00",
            1 => number + "0",
            _ => number,
        };
    }
}

/// <summary>SingleFlowResponse (the flow's header) and, in files, its payments.</summary>
internal sealed record FlowJson(string? Fdr, string? FdrDate, long? Revision, string? Status, string? Regulation, string? RegulationDate,
    string? BicCodePouringBank, SenderJson? Sender, ReceiverJson? Receiver, long? TotPayments,
    [property: JsonConverter(typeof(RawNumberConverter))] string? SumPayments, string? Published);

/// <summary>The PSP that sent the flow.</summary>
internal sealed record SenderJson(string? Type, string? Id, string? PspId, string? PspName);

/// <summary>The EC the flow reports to.</summary>
internal sealed record ReceiverJson(string? Id, string? OrganizationId, string? OrganizationName);

/// <summary>One payment of a flow.</summary>
internal sealed record PaymentJson(long? Index, string? Iuv, string? Iur, long? IdTransfer, [property: JsonConverter(typeof(RawNumberConverter))] string? Pay,
    string? PayStatus, string? PayDate);

/// <summary>A flow in the list of published flows.</summary>
internal sealed record PublishedFlowJson(string Fdr, string PspId, long Revision, DateTimeOffset Published, string? FlowDate);

/// <summary>Paging data of a list response.</summary>
internal sealed record PageMetadataJson(int PageSize, int PageNumber, int TotPage);

/// <summary>A page of a list response.</summary>
internal sealed record PageJson<T>(PageMetadataJson? Metadata, long? Count, List<T>? Data);

/// <summary>Keeps a JSON number's exact text: amounts never pass through a binary floating point.</summary>
internal sealed class RawNumberConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"expected a number, found {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(value);
        }
    }
}
