namespace PaymentGateway.Core.Positions;

/// <summary>
/// One of the 1..5 transfers of a payment option (XSD <c>ctTransferPA</c>/<c>ctTransferPAV2</c>): which EC receives
/// how much, where, under which taxonomy code. Validated by <see cref="PaymentOption.Create"/>: index 1..5,
/// amount ≥ 0.01, remittance information 1..140 characters, <see cref="Capitolo"/>/<see cref="Accertamento"/> at most
/// 140 characters, metadata at most 15 entries with keys 1..140 and values at most 140 characters.
/// </summary>
/// <param name="Index">The <c>idTransfer</c>, 1..5.</param>
/// <param name="Beneficiary">The receiving EC (<c>fiscalCodePA</c>).</param>
/// <param name="Account">Where the money goes.</param>
/// <param name="Amount">The <c>transferAmount</c>.</param>
/// <param name="Category">The taxonomy code (<c>transferCategory</c>).</param>
/// <param name="RemittanceInformation">The <c>remittanceInformation</c> (causale), 1..140 characters.</param>
/// <param name="Capitolo">The EC's accounting chapter (<i>capitolo di bilancio</i>), if known.</param>
/// <param name="Accertamento">The EC's accounting assessment (<i>accertamento</i>), if known.</param>
/// <param name="Metadata">Per-transfer <c>metadata</c> map entries (up to 15), copied into the receipt.</param>
public sealed record Transfer(
    int Index,
    OrganizationFiscalCode Beneficiary,
    TransferAccount Account,
    EuroCents Amount,
    TaxonomyCode Category,
    string RemittanceInformation,
    string? Capitolo = null,
    string? Accertamento = null,
    IReadOnlyList<KeyValuePair<string, string>>? Metadata = null);
