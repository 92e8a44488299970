using System.Globalization;
using System.Text.Json;
using PaymentGateway.Core;
using PaymentGateway.Notices.Pdf;
using PaymentGateway.Persistence.Dossier;

namespace PaymentGateway.Gateway.Api.Dossier;

/// <summary>
/// The dossier's reads: the caller's open debts and payment history, their household (dependents, and each
/// dependent's debts and receipts), one receipt's data and PDF, and a notice's PDF. Whose data is read comes from the
/// token (<see cref="DossierAuthentication.Citizen"/>) or, for a dependent, from a household relation of that citizen;
/// anything else answers 404 exactly as if it did not exist. GETs carry ETags (304 on If-None-Match).
/// </summary>
public static class DossierEndpoints
{
    public const int DefaultLimit = 20;

    public static RouteGroupBuilder MapDossierReads(this RouteGroupBuilder dossier)
    {
        dossier.MapGet("/debts", (HttpContext http, string? limit, string? after, DossierReader reader, TimeProvider time, CancellationToken ct) =>
                DebtsAsync(http, DossierAuthentication.Citizen(http), limit, after, reader, time, ct))
            .WithName("GetDossierDebts")
            .WithSummary("The caller's open debts across every EC served, installments grouped under their position; keyset-paged")
            .Produces<DebtsPageDto>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status400BadRequest);
        dossier.MapGet("/receipts", (HttpContext http, string? limit, string? before, ReceiptHistoryReader reader, CancellationToken ct) =>
                ReceiptsAsync(http, DossierAuthentication.Citizen(http), limit, before, reader, ct))
            .WithName("GetDossierReceipts")
            .WithSummary("The caller's payment history (receipts as debtor or payer), newest first; keyset-paged")
            .Produces<ReceiptsPageDto>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status400BadRequest);
        dossier.MapGet("/household", HouseholdAsync)
            .WithName("GetDossierHousehold")
            .WithSummary("The dependents the caller may see and pay for (configured by the Comune)")
            .Produces<HouseholdDto>().Produces(StatusCodes.Status304NotModified);
        dossier.MapGet("/household/{fiscalCode}/debts", DependentDebtsAsync)
            .WithName("GetDependentDebts")
            .WithSummary("A dependent's open debts (same shape as /debts)")
            .Produces<DebtsPageDto>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        dossier.MapGet("/household/{fiscalCode}/receipts", DependentReceiptsAsync)
            .WithName("GetDependentReceipts")
            .WithSummary("A dependent's payment history (same shape as /receipts)")
            .Produces<ReceiptsPageDto>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        dossier.MapGet("/receipts/{organization}/{receiptId}.pdf", ReceiptPdfAsync)
            .WithName("GetDossierReceiptPdf")
            .WithSummary("A receipt as PDF: EC, notice number, IUV, receipt id (IUR), amount, fee, PSP, date and time, payer, transfers")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        dossier.MapGet("/receipts/{organization}/{receiptId}", ReceiptAsync)
            .WithName("GetDossierReceipt")
            .WithSummary("One receipt's data with its transfers")
            .Produces<ReceiptDto>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        dossier.MapGet("/notices/{organization}/{noticeNumber}.pdf", NoticePdfAsync)
            .WithName("GetDossierNoticePdf")
            .WithSummary("The pagoPA notice PDF of one of the caller's (or a dependent's) payable notices")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return dossier;
    }

    private static async Task<IResult> DebtsAsync(HttpContext http, DebtorIdentifier subject, string? limit, string? after, DossierReader reader, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (Paging.Limit(limit, DossierReader.MaxLimit) is not { } size)
        {
            return Paging.BadLimit(DossierReader.MaxLimit);
        }
        if (Paging.Cursor(after, 0) is not { } cursor)
        {
            return BadRequest("after must be a position id from a previous page's next link (a whole number, 0 or more)");
        }
        var page = await reader.ListOpenDebtsAsync(subject, cursor, size, cancellationToken);
        var today = RomeCalendar.Today(time);
        var next = page.Count == size ? Paging.Next(http, size, "after", page[^1].Id) : null;
        return ConditionalGet.Json(http, new DebtsPageDto(subject.Value, page.Select(p => DebtDto.From(p, today)).ToList(), next));
    }

    private static async Task<IResult> ReceiptsAsync(HttpContext http, DebtorIdentifier subject, string? limit, string? before, ReceiptHistoryReader reader,
        CancellationToken cancellationToken)
    {
        if (Paging.Limit(limit, ReceiptHistoryReader.MaxLimit) is not { } size)
        {
            return Paging.BadLimit(ReceiptHistoryReader.MaxLimit);
        }
        if (Paging.Cursor(before, long.MaxValue) is not { } cursor || cursor < 1)
        {
            return BadRequest("before must be a receipt position from a previous page's next link (a whole number, 1 or more)");
        }
        var page = await reader.ListAsync(subject, cursor, size, cancellationToken);
        var next = page.Count == size ? Paging.Next(http, size, "before", page[^1].Id) : null;
        return ConditionalGet.Json(http, new ReceiptsPageDto(subject.Value, page.Select(ReceiptSummaryDto.From).ToList(), next));
    }

    private static async Task<IResult> HouseholdAsync(HttpContext http, HouseholdStore household, TimeProvider time, CancellationToken cancellationToken)
    {
        var dependents = await household.ListDependentsAsync(DossierAuthentication.Citizen(http), RomeCalendar.Today(time), cancellationToken);
        return ConditionalGet.Json(http, new HouseholdDto(dependents.Select(d => new DependentDto(d.FiscalCode.Value, d.Name, d.ValidUntil,
            $"/api/v1/dossier/household/{d.FiscalCode.Value}/debts", $"/api/v1/dossier/household/{d.FiscalCode.Value}/receipts")).ToList()));
    }

    private static async Task<IResult> DependentDebtsAsync(HttpContext http, string fiscalCode, string? limit, string? after, HouseholdStore household,
        DossierReader reader, TimeProvider time, CancellationToken cancellationToken) =>
        await DependentAsync(http, fiscalCode, household, time, cancellationToken) is { } dependent
            ? await DebtsAsync(http, dependent, limit, after, reader, time, cancellationToken)
            : DependentProblem(fiscalCode);

    private static async Task<IResult> DependentReceiptsAsync(HttpContext http, string fiscalCode, string? limit, string? before, HouseholdStore household,
        ReceiptHistoryReader reader, TimeProvider time, CancellationToken cancellationToken) =>
        await DependentAsync(http, fiscalCode, household, time, cancellationToken) is { } dependent
            ? await ReceiptsAsync(http, dependent, limit, before, reader, cancellationToken)
            : DependentProblem(fiscalCode);

    // The dependent named in the path when the caller is their guardian today (or the caller themselves), else null.
    private static async Task<DebtorIdentifier?> DependentAsync(HttpContext http, string fiscalCode, HouseholdStore household, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!CitizenIdentifier.TryParse(fiscalCode, out var dependent))
        {
            return null;
        }
        var citizen = DossierAuthentication.Citizen(http);
        return dependent == citizen || await household.IsGuardianAsync(citizen, dependent, RomeCalendar.Today(time), cancellationToken) ? dependent : null;
    }

    private static IResult DependentProblem(string fiscalCode) => CitizenIdentifier.TryParse(fiscalCode, out _)
        ? NotFound("no such dependent in your household")
        : BadRequest("the fiscal code in the path is malformed (16 characters with a valid check letter, or 11 digits)");

    private static async Task<IResult> ReceiptAsync(HttpContext http, string organization, string receiptId, ReceiptHistoryReader reader, HouseholdStore household,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (receipt, problem) = await FindReceiptAsync(http, organization, receiptId, reader, household, time, cancellationToken);
        return receipt is null ? problem! : ConditionalGet.Json(http, ReceiptDto.From(receipt));
    }

    private static async Task<IResult> ReceiptPdfAsync(HttpContext http, string organization, string receiptId, ReceiptHistoryReader reader,
        HouseholdStore household, ReceiptPdfRenderer renderer, TimeProvider time, CancellationToken cancellationToken)
    {
        var (receipt, problem) = await FindReceiptAsync(http, organization, receiptId, reader, household, time, cancellationToken);
        if (receipt is null)
        {
            return problem!;
        }
        var document = ToDocument(receipt);
        return ConditionalGet.Pdf(http, "receipt-v1|" + JsonSerializer.Serialize(document), () => renderer.Render(document),
            $"ricevuta-{receipt.Summary.NoticeNumber}.pdf");
    }

    private static async Task<(ReceiptDetail? Receipt, IResult? Problem)> FindReceiptAsync(HttpContext http, string organization, string receiptId,
        ReceiptHistoryReader reader, HouseholdStore household, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return (null, BadOrganization());
        }
        if (receiptId.Length is < 1 or > 35 || receiptId.Any(char.IsControl))
        {
            return (null, BadRequest("a receipt id is 1 to 35 printable characters"));
        }
        var receipt = await reader.FindAsync(creditor, receiptId, cancellationToken);
        var mine = receipt is not null
            && (await MayActForAsync(http, receipt.Summary.Debtor, household, time, cancellationToken)
                || await MayActForAsync(http, receipt.Summary.Payer, household, time, cancellationToken));
        return mine ? (receipt, null) : (null, NotFound("no receipt with this id among yours"));
    }

    private static async Task<IResult> NoticePdfAsync(HttpContext http, string organization, string noticeNumber, DossierReader dossier,
        NoticeDocumentReader notices, NoticePdfRenderer renderer, HouseholdStore household, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return BadOrganization();
        }
        if (!NoticeNumber.TryParse(noticeNumber, out var notice))
        {
            return BadRequest("the notice number must be 18 digits: aux digit 3, segregation code, IUV base and check digits");
        }
        var debtor = await dossier.FindDebtorAsync(creditor, notice, cancellationToken);
        var document = await MayActForAsync(http, debtor, household, time, cancellationToken)
            ? await notices.FindAsync(creditor, notice, cancellationToken)
            : null;
        if (document is null)
        {
            return NotFound("no payable notice with this number among yours");
        }
        return ConditionalGet.Pdf(http, "notice-v1|" + JsonSerializer.Serialize(document), () => renderer.Render(document), $"avviso-{notice}.pdf");
    }

    /// <summary>True when <paramref name="subject"/> is the caller, or a dependent of the caller today.</summary>
    internal static async Task<bool> MayActForAsync(HttpContext http, DebtorIdentifier? subject, HouseholdStore household, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (subject is not { Type: EntityType.Person } person)
        {
            return false;
        }
        var citizen = DossierAuthentication.Citizen(http);
        return person == citizen || await household.IsGuardianAsync(citizen, person, RomeCalendar.Today(time), cancellationToken);
    }

    private static ReceiptDocument ToDocument(ReceiptDetail d)
    {
        var s = d.Summary;
        return new ReceiptDocument(s.Organization, d.CompanyName ?? s.OrganizationName ?? s.Organization, d.OfficeName, d.PaymentDescription ?? s.Description,
            s.NoticeNumber, s.Iuv, s.ReceiptId, s.Amount, s.Fee, d.PspId, s.PspName, d.PaymentMethod, s.PaymentDateTime,
            new ReceiptParty(s.Debtor?.Value ?? "-", d.DebtorName), s.Payer is { } payer ? new ReceiptParty(payer.Value, d.PayerName) : null,
            d.Transfers.Select(t => new ReceiptTransferLine(t.IdTransfer, t.Beneficiary, t.BeneficiaryName, t.Iban, t.Amount, t.RemittanceInformation)).ToList(),
            d.StandIn, d.ReceivedAt);
    }

    internal static IResult BadOrganization() =>
        BadRequest("the EC fiscal code must be 11 digits with a valid check digit");

    internal static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "malformed request", detail: detail);

    internal static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: detail);

    /// <summary>Paging parameters, parsed here so that any malformed value is a 400 problem naming the rule.</summary>
    private static class Paging
    {
        public static int? Limit(string? text, int max)
        {
            if (string.IsNullOrEmpty(text))
            {
                return DefaultLimit;
            }
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max ? value : null;
        }

        public static IResult BadLimit(int max) =>
            BadRequest(string.Create(CultureInfo.InvariantCulture, $"limit must be a whole number between 1 and {max}"));

        public static long? Cursor(string? text, long first) =>
            string.IsNullOrEmpty(text) ? first
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
            : null;

        public static string Next(HttpContext http, int limit, string cursorName, long cursor) =>
            string.Create(CultureInfo.InvariantCulture, $"{http.Request.PathBase}{http.Request.Path}?limit={limit}&{cursorName}={cursor}");
    }
}
