using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PaymentGateway.Core;

namespace PaymentGateway.Reconciliation.Treasury;

/// <summary>What a bank credit's causale (remittance information, SCT AT-05) says it is.</summary>
public enum CausaleKind
{
    /// <summary>Neither a pagoPA settlement nor a single payment: some other credit to the account.</summary>
    Unrecognised,

    /// <summary>A PSP's settlement of a reporting flow: <c>/PUR/LGPE-RIVERSAMENTO/[TXT/&lt;n&gt;/]URI/&lt;flow id&gt;</c>.</summary>
    FlowSettlement,

    /// <summary>A single payment naming its IUV: <c>/RFB/&lt;IUV&gt;/&lt;amount&gt;</c>, <c>/RFS/&lt;RF reference&gt;/&lt;amount&gt;</c> or a bare 17-digit IUV.</summary>
    SinglePayment,
}

/// <summary>A parsed causale.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Confidence">How sure the parser is of what it read, 0..100: 100 for the canonical form, less for the
/// variations banks introduce, a truncated flow id or a reference whose check digits fail.</param>
/// <param name="FlowId">FlowSettlement: the flow id as read; when <paramref name="Truncated"/>, only its visible beginning.</param>
/// <param name="FlowIdCandidates">FlowSettlement: the readings of the flow id, most likely first: the first piece, then
/// the pieces a bank separated with spaces joined (a flow id has no spaces). Empty when no id could be read.</param>
/// <param name="Truncated">FlowSettlement: the causale ends inside the flow id (cut at the bank's 140-character limit,
/// or what is left is not a complete id), so <paramref name="FlowId"/> is probably only the id's beginning.</param>
/// <param name="Progressive">FlowSettlement: the <c>/TXT/&lt;n&gt;</c> progressive (0 ordinary, 1..9 supplementary SCTs), if present.</param>
/// <param name="Iuv">SinglePayment: the IUV, or the RF creditor reference for <c>/RFS/</c>.</param>
/// <param name="Amount">SinglePayment: the amount the causale names, if present.</param>
public sealed record Causale(CausaleKind Kind, int Confidence, string? FlowId = null, IReadOnlyList<string>? FlowIdCandidates = null, bool Truncated = false,
    int? Progressive = null, string? Iuv = null, EuroCents? Amount = null)
{
    /// <summary>A causale that says nothing the reconciliation can use.</summary>
    public static Causale Unrecognised { get; } = new(CausaleKind.Unrecognised, 0);
}

/// <summary>
/// Reads the causale of a treasury credit (NOTES.md §d.5): the settlement of a reporting flow
/// (<c>/PUR/LGPE-RIVERSAMENTO/URI/&lt;flow id&gt;</c>, with or without <c>/TXT/&lt;n&gt;</c>) or a single payment with its
/// IUV (<c>/RFB/&lt;IUV&gt;/&lt;amount&gt;</c>, <c>/RFS/&lt;RF…&gt;/&lt;amount&gt;</c>, a bare 17-digit IUV).
/// </summary>
/// <remarks>
/// Tolerant of what banks do to the text: case, spaces around the slashes and inside the flow id, the text split over
/// several lines (line breaks are joined without a space, since banks cut the 140-character field at fixed widths),
/// their own words before and after. A flow id cut off at the end of the causale comes back as its visible beginning
/// with <see cref="Causale.Truncated"/> set and a confidence that grows with what is visible.
/// </remarks>
public static partial class CausaleParser
{
    /// <summary>The SEPA remittance field's length: a causale this long that ends inside a flow id was cut.</summary>
    public const int BankLimit = 140;

    /// <summary>The longest flow id (identificativoFlusso is at most 35 characters).</summary>
    public const int MaxFlowIdLength = 35;

    /// <summary>
    /// The shortest visible beginning of a flow id that may be matched by prefix: the settlement date (10 characters)
    /// and at least 6 of the PSP's code, else too many flows share it.
    /// </summary>
    public const int MinimumPrefixLength = 16;

    // At most this many readings of a flow id split by spaces.
    private const int MaxCandidates = 4;

    /// <summary>Parses a causale; its lines (camt.053 Ustrd elements) separated by line breaks.</summary>
    /// <param name="text">The causale; null or empty gives <see cref="Causale.Unrecognised"/>.</param>
    /// <returns>What the causale says.</returns>
    public static Causale Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Causale.Unrecognised;
        }
        // Lines are the bank's cut of one field: join them as they were.
        var joined = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        return ParseSettlement(joined) ?? ParseSinglePayment(joined) ?? Causale.Unrecognised;
    }

    private static Causale? ParseSettlement(string text)
    {
        var marker = SettlementMarker().Match(text);
        if (!marker.Success)
        {
            // The causale was cut inside its own marker: a settlement, but of which flow only the TRN can tell.
            return SettlementWithoutId().IsMatch(text) ? new Causale(CausaleKind.FlowSettlement, 20, FlowIdCandidates: [], Truncated: true) : null;
        }
        int? progressive = marker.Groups["txt"].Success
            ? int.Parse(marker.Groups["txt"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
        var canonical = marker.Value is "/PUR/LGPE-RIVERSAMENTO/URI/" || CanonicalMarkerWithTxt().IsMatch(marker.Value);

        // The id: pieces of [A-Za-z0-9-_] separated only by spaces, up to any other character.
        var pieces = new List<string>();
        var position = marker.Index + marker.Length;
        var endsText = false;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && IsFlowIdChar(text[position]))
            {
                position++;
            }
            if (position > start)
            {
                pieces.Add(text[start..position]);
            }
            var gap = position;
            while (position < text.Length && text[position] is ' ' or '\t')
            {
                position++;
            }
            if (position >= text.Length)
            {
                endsText = true;
                break;
            }
            if (!IsFlowIdChar(text[position]) || position == gap)
            {
                break;
            }
        }
        if (pieces.Count == 0)
        {
            return new Causale(CausaleKind.FlowSettlement, 20, FlowIdCandidates: [], Truncated: endsText, Progressive: progressive);
        }
        var candidates = new List<string> { pieces[0] };
        var reading = new StringBuilder(pieces[0]);
        var readingReachesEnd = pieces.Count == 1 && endsText;
        for (var i = 1; i < pieces.Count && candidates.Count < MaxCandidates; i++)
        {
            if (reading.Length + pieces[i].Length > MaxFlowIdLength)
            {
                break;
            }
            reading.Append(pieces[i]);
            candidates.Add(reading.ToString());
            readingReachesEnd = i == pieces.Count - 1 && endsText;
        }
        var longest = candidates[^1];
        var truncated = readingReachesEnd && (text.TrimEnd().Length >= BankLimit || !CompleteFlowId().IsMatch(longest));
        if (truncated)
        {
            // Only the beginning of the id is visible: the joined reading shows the most of it.
            var visible = Math.Min(longest.Length, MaxFlowIdLength);
            var confidence = longest.Length < MinimumPrefixLength ? 10 : (90 * visible) / MaxFlowIdLength;
            candidates.Reverse();
            return new Causale(CausaleKind.FlowSettlement, confidence, longest, candidates, true, progressive);
        }
        var score = canonical && candidates.Count == 1 && CompleteFlowId().IsMatch(pieces[0]) ? 100 : 90;
        return new Causale(CausaleKind.FlowSettlement, score, pieces[0], candidates, false, progressive);
    }

    private static Causale? ParseSinglePayment(string text)
    {
        var structured = SinglePaymentForm().Match(text);
        if (structured.Success)
        {
            var rfs = structured.Groups["form"].Value.Equals("S", StringComparison.OrdinalIgnoreCase);
            var reference = structured.Groups["ref"].Value.ToUpperInvariant();
            EuroCents? amount = structured.Groups["amount"].Success ? ParseCausaleAmount(structured.Groups["amount"].Value) : null;
            int confidence;
            if (rfs)
            {
                // Printed in groups of four: the groups that make the check digits right are the reference (a bank may
                // have run the next word into it).
                var groups = reference.Split(' ');
                var valid = Enumerable.Range(1, groups.Length).Reverse().Select(n => string.Concat(groups.Take(n))).FirstOrDefault(IsCreditorReference);
                confidence = valid is null ? 60 : 100;
                reference = valid ?? reference.Replace(" ", string.Empty, StringComparison.Ordinal);
            }
            else
            {
                confidence = reference.Length is 15 or 17
                    ? (Core.Iuv.TryParse(reference, out _) || reference.Length == 15 ? 100 : 90)
                    : 60;
            }
            if (amount is null)
            {
                confidence -= 10;
            }
            return new Causale(CausaleKind.SinglePayment, confidence, Iuv: reference, Amount: amount);
        }
        var bare = BareIuv().Match(text);
        if (bare.Success)
        {
            return new Causale(CausaleKind.SinglePayment, Core.Iuv.TryParse(bare.Value, out _) ? 80 : 50, Iuv: bare.Value);
        }
        return null;
    }

    // The causale's amount: digits with an optional '.' (SACI) or ',' and one or two decimals.
    private static EuroCents? ParseCausaleAmount(string text)
    {
        var separator = text.IndexOfAny(['.', ',']);
        var euros = separator < 0 ? text : text[..separator];
        var decimals = separator < 0 ? "00" : text[(separator + 1)..].PadRight(2, '0');
        return long.TryParse(euros, NumberStyles.None, CultureInfo.InvariantCulture, out var e)
            && int.TryParse(decimals, NumberStyles.None, CultureInfo.InvariantCulture, out var c)
            ? EuroCents.FromCents((e * 100) + c)
            : null;
    }

    /// <summary>True for an ISO 11649 creditor reference: <c>RF</c>, two check digits, up to 21 letters or digits, mod 97 = 1.</summary>
    /// <param name="reference">The reference without spaces.</param>
    /// <returns>Whether the check digits are right.</returns>
    public static bool IsCreditorReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length is < 5 or > 25 || !reference.StartsWith("RF", StringComparison.OrdinalIgnoreCase)
            || !char.IsAsciiDigit(reference[2]) || !char.IsAsciiDigit(reference[3]) || !reference.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }
        var remainder = 0;
        foreach (var c in string.Concat(reference.AsSpan(4), reference.AsSpan(0, 4)).ToUpperInvariant())
        {
            remainder = char.IsAsciiDigit(c) ? ((remainder * 10) + (c - '0')) % 97 : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }
        return remainder == 1;
    }

    private static bool IsFlowIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    // /PUR/LGPE-RIVERSAMENTO/[TXT/<n>/]URI/ in any case, with spaces anywhere between its parts, the hyphen written as
    // a space or an underscore, the leading slash dropped.
    [GeneratedRegex(@"/?\s*PUR\s*/\s*LGPE\s*[-_ ]?\s*RIVERSAMENTO\s*/\s*(?:TXT\s*/\s*(?<txt>\d{1,2})\s*/\s*)?URI\s*/\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SettlementMarker();

    [GeneratedRegex(@"^/PUR/LGPE-RIVERSAMENTO/TXT/\d/URI/$", RegexOptions.CultureInvariant)]
    private static partial Regex CanonicalMarkerWithTxt();

    [GeneratedRegex(@"LGPE\s*[-_ ]?\s*RIVERSAMENTO", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SettlementWithoutId();

    // identificativoFlusso: <settlement date yyyy-MM-dd><PSP>-<flow> (NOTES.md §d.2).
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[A-Za-z0-9_]+-[A-Za-z0-9_\-]*[A-Za-z0-9_]$", RegexOptions.CultureInvariant)]
    private static partial Regex CompleteFlowId();

    // /RFB/<IUV>[/<amount>] and /RFS/<RF reference>[/<amount>]; an RF reference may be printed in groups of four.
    [GeneratedRegex(@"/?\s*RF(?:(?<form>B)\s*/\s*(?<ref>\d{1,35})|(?<form>S)\s*/\s*(?<ref>RF\d{2}(?: ?[A-Za-z0-9]{1,4}){1,6}|[A-Za-z0-9]{1,35}))\s*(?:/\s*(?<amount>\d{1,9}(?:[.,]\d{1,2})?)(?![\d.,]))?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SinglePaymentForm();

    [GeneratedRegex(@"(?<!\d)\d{17}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex BareIuv();
}
