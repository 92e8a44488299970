using System.Globalization;
using System.Text.Json.Serialization;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Aca;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Aca;

/// <summary>The body of POST /paCreatePosition (NewDebtPositionRequest in the ACA OpenAPI).</summary>
internal sealed record AcaPositionRequest(
    [property: JsonPropertyName("paFiscalCode")] string PaFiscalCode,
    [property: JsonPropertyName("entityType")] string EntityType,
    [property: JsonPropertyName("entityFiscalCode")] string EntityFiscalCode,
    [property: JsonPropertyName("entityFullName")] string EntityFullName,
    [property: JsonPropertyName("iuv")] string Iuv,
    [property: JsonPropertyName("nav")] string Nav,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("expirationDate")] string ExpirationDate,
    [property: JsonPropertyName("iban"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Iban,
    [property: JsonPropertyName("postalIban"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PostalIban,
    [property: JsonPropertyName("switchToExpired")] bool SwitchToExpired,
    [property: JsonPropertyName("payStandIn")] bool PayStandIn)
{
    /// <summary>
    /// One request per payment option: the single payment and every installment are separate notices (own NAV, IUV,
    /// amount, due date), so each is its own ACA position and Stand-In can collect any of them. An option that can no
    /// longer be paid gets amount 0 (ACA's "invalidate"): the whole position cancelled, the option Cancelled, Paid or
    /// Reported, or closed by a payment of the other kind (<see cref="DebtPosition.IsSettledOtherwise"/>: the single
    /// payment once an installment is paid, every installment once the single payment is) — as verify answers.
    /// </summary>
    public static IEnumerable<AcaPositionRequest> From(string eventType, PositionEventPayload payload,
        IReadOnlyDictionary<(string Organization, string Notice), AcaNoticeAccounts> accounts)
    {
        // position.created events carry no status: every option is Valid then. An unknown status throws (the event is parked).
        var states = payload.Options
            .Select(o => (IsInstallment: o.InstallmentNumber is not null, Status: o.Status is { } s ? Enum.Parse<PaymentOptionStatus>(s) : PaymentOptionStatus.Valid))
            .ToList();
        for (var i = 0; i < payload.Options.Count; i++)
        {
            var option = payload.Options[i];
            var (isInstallment, status) = states[i];
            accounts.TryGetValue((payload.OrganizationFiscalCode, option.NoticeNumber), out var account);
            var withdrawn = eventType == PositionEvents.Cancelled
                || status is PaymentOptionStatus.Cancelled or PaymentOptionStatus.Paid or PaymentOptionStatus.Reported
                || DebtPosition.IsSettledOtherwise(isInstallment, states.Where((_, j) => j != i));
            // Our due date is a day in Rome; ACA wants a local date-time. With an EC expiry policy the notice stops
            // being payable after the grace days (switchToExpired); without one it stays payable after the due date.
            var expires = account?.ExpiryGraceDays is not null;
            var lastDay = option.DueDate.AddDays(account?.ExpiryGraceDays ?? 0);
            yield return new AcaPositionRequest(
                payload.OrganizationFiscalCode,
                payload.Debtor.Type,
                payload.Debtor.Id,
                payload.Debtor.Name,
                option.Iuv,
                option.NoticeNumber,
                withdrawn ? 0 : option.AmountCents,
                string.IsNullOrWhiteSpace(option.Description) ? payload.Description : option.Description,
                string.Create(CultureInfo.InvariantCulture, $"{lastDay:yyyy-MM-dd}T23:59:59"),
                account?.Iban,
                account?.PostalIban,
                expires,
                PayStandIn: true);
        }
    }
}
