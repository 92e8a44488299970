using System.Globalization;
using System.Text;
using PaymentGateway.Core;

namespace PaymentGateway.Notices.Barcodes;

/// <summary>The texts encoded in a notice's codes: the pagoPA QR code and Poste's Data Matrix (NOTES §c.2, §c.3).</summary>
public static class NoticeCodes
{
    /// <summary><c>PAGOPA|002|notice|ecFiscalCode|cents</c>, cents written plainly with at least 2 digits.</summary>
    public static string QrPayload(NoticeNumber notice, OrganizationFiscalCode creditor, EuroCents amount) =>
        string.Create(CultureInfo.InvariantCulture, $"PAGOPA|002|{notice}|{creditor}|{amount.Cents:00}");

    /// <summary>
    /// Poste's 256-character Bollettino PA string: <c>codfase=NBPA;</c>, the codeline (18+notice, 12+account,
    /// 10+amount, 3+896), <c>1P1</c>, EC fiscal code (11), debtor id (16), name (40), subject (110), 12 spaces, <c>A</c>.
    /// Free-text fields are cut to their width (PagoPA's generator pads but does not truncate), upper-cased and
    /// reduced to printable ASCII, as GovPay does, so the fixed offsets hold and the symbol stays small.
    /// </summary>
    public static string PostePayload(NoticeNumber notice, string postalAccount, EuroCents amount, OrganizationFiscalCode creditor,
        string debtorIdentifier, string debtorName, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(postalAccount);
        if (postalAccount.Length > 12 || !postalAccount.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("a postal account number has at most 12 digits", nameof(postalAccount));
        }
        if (amount.Cents is < 0 or > 9_999_999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "the Data Matrix amount field has 10 digits");
        }
        var text = new StringBuilder(256)
            .Append("codfase=NBPA;")
            .Append("18").Append(notice.Value)
            .Append("12").Append(postalAccount.PadLeft(12, '0'))
            .Append("10").Append(amount.Cents.ToString("D10", CultureInfo.InvariantCulture))
            .Append("3896")
            .Append("1P1")
            .Append(Field(creditor.Value, 11))
            .Append(Field(debtorIdentifier, 16))
            .Append(Field(debtorName, 40))
            .Append(Field(subject, 110))
            .Append(' ', 12)
            .Append('A');
        return text.ToString();
    }

    private static string Field(string value, int width)
    {
        var clean = new StringBuilder(width);
        foreach (var c in value)
        {
            if (clean.Length == width)
            {
                break;
            }
            clean.Append(ToPlainUpper(c));
        }
        return clean.ToString().PadRight(width);
    }

    // InvariantGlobalization is on, so no Unicode decomposition: a table for the accented letters of the names a
    // Comune meets (Latin-1 and the Latin Extended-A letters of Central and Eastern European names).
    private const string Accented = "ÀÁÂÃÄÅàáâãäåÈÉÊËèéêëÌÍÎÏìíîïÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÇçÑñÝýÿ" + "ĂăĄąĆćČčĎďĐđĘęĚěĞğİıŁłŃńŇňŐőŘřŚśŞşȘșŠšŢţȚțŤťŮůŰűŹźŻżŽž";
    private const string Plain = "AAAAAAAAAAAAEEEEEEEEIIIIIIIIOOOOOOOOOOOOUUUUUUUUCCNNYYY" + "AAAACCCCDDDDEEEEGGIILLNNNNOORRSSSSSSSSTTTTTTUUUUZZZZZZ";

    private static char ToPlainUpper(char c)
    {
        var accented = Accented.IndexOf(c, StringComparison.Ordinal);
        if (accented >= 0)
        {
            return Plain[accented];
        }
        return c is >= ' ' and <= '~' ? char.ToUpperInvariant(c) : ' ';
    }
}
