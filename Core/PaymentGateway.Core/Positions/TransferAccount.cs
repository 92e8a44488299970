namespace PaymentGateway.Core.Positions;

/// <summary>
/// Where a transfer's money goes: a bank IBAN, a postal IBAN, or a digital revenue stamp
/// (XSD choice <c>IBAN</c> | <c>richiestaMarcaDaBollo</c> of <c>ctTransferPAV2</c>).
/// Field rules are enforced by <see cref="PaymentOption.Create"/>.
/// </summary>
public abstract record TransferAccount
{
    private protected TransferAccount()
    {
    }
}

/// <summary>A credit to a (bank or postal) IBAN registered for the beneficiary EC.</summary>
/// <param name="Iban">The IBAN.</param>
public sealed record BankAccount(Iban Iban) : TransferAccount;

/// <summary>
/// A credit to a Poste Italiane postal current account: <see cref="Iban"/> must be a postal IBAN
/// (<see cref="Core.Iban.IsPostal"/>). An option whose transfers are all postal sets <c>allCCP</c>.
/// </summary>
/// <param name="Iban">The postal IBAN.</param>
public sealed record PostalAccount(Iban Iban) : TransferAccount;

/// <summary>A digital revenue stamp (@e.bollo, XSD <c>richiestaMarcaDaBollo</c>).</summary>
/// <param name="DocumentHashBase64">The document hash, base64, 4..72 characters (<c>hashDocumento</c>).</param>
/// <param name="StampType">The stamp type, currently only <c>01</c> (<c>tipoBollo</c>).</param>
/// <param name="Province">The debtor's province of residence, 2 upper-case letters (<c>provinciaResidenza</c>).</param>
public sealed record DigitalStamp(string DocumentHashBase64, string StampType, string Province) : TransferAccount;
