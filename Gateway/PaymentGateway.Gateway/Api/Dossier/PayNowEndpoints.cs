using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Persistence.Dossier;

namespace PaymentGateway.Gateway.Api.Dossier;

/// <summary>
/// Pay-now: pagoPA Checkout carts for notices the caller chose, or for everything payable now ("pay everything due"),
/// the caller's own and, where a household relation allows it, their dependents'. A Checkout cart holds at most
/// <see cref="NoticesPerCart"/> notices, so more notices become several carts, paid one after the other. Every notice is
/// checked before any cart is created: it must be the caller's or a dependent's (otherwise 404, as if unknown),
/// payable today by the Node's own rule (otherwise 409), and two options of one position (the single payment and an
/// installment) never go together (422). Return URLs come from configuration, never from the request.
/// </summary>
public static class PayNowEndpoints
{
    /// <summary>Checkout's limit (CartRequest.paymentNotices maxItems).</summary>
    public const int NoticesPerCart = 5;

    /// <summary>The most notices one request may name, and the most "everything due" may gather.</summary>
    public const int MaxNoticesPerRequest = 50;

    private const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapPayNow(this RouteGroupBuilder dossier)
    {
        dossier.MapPost("/carts", CreateAsync)
            .WithName("CreateDossierCarts")
            .WithSummary("Checkout carts for the given notices (the caller's or a dependent's), split into carts of at most 5")
            .Accepts<CartRequestDto>("application/json")
            .Produces<CartsDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        dossier.MapPost("/carts/everything-due", EverythingDueAsync)
            .WithName("CreateDossierCartsForEverythingDue")
            .WithSummary("Checkout carts for every debt payable now: per position the single payment if payable, else its payable installments")
            .Accepts<EverythingDueRequestDto>("application/json")
            .Produces<CartsDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return dossier;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, DossierReader reader, HouseholdStore household, CheckoutClient checkout,
        IOptions<DossierOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await ReadBodyAsync<CartRequestDto>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (request?.Notices is not { Count: > 0 } refs)
        {
            return DossierEndpoints.BadRequest("notices must list at least one notice ({ organizationFiscalCode, noticeNumber })");
        }
        if (refs.Count > MaxNoticesPerRequest)
        {
            return DossierEndpoints.BadRequest(string.Create(CultureInfo.InvariantCulture, $"at most {MaxNoticesPerRequest} notices per request"));
        }
        if (EmailProblem(request.EmailNotice) is { } bad)
        {
            return bad;
        }
        var wanted = new List<(OrganizationFiscalCode Organization, NoticeNumber Notice)>(refs.Count);
        for (var i = 0; i < refs.Count; i++)
        {
            if (!OrganizationFiscalCode.TryParse(refs[i]?.OrganizationFiscalCode, out var ec))
            {
                return DossierEndpoints.BadRequest(string.Create(CultureInfo.InvariantCulture, $"notices[{i}].organizationFiscalCode must be 11 digits with a valid check digit"));
            }
            if (!NoticeNumber.TryParse(refs[i].NoticeNumber, out var notice))
            {
                return DossierEndpoints.BadRequest(string.Create(CultureInfo.InvariantCulture, $"notices[{i}].noticeNumber must be 18 digits: aux digit 3, segregation code, IUV base and check digits"));
            }
            if (wanted.Contains((ec, notice)))
            {
                return DossierEndpoints.BadRequest(string.Create(CultureInfo.InvariantCulture, $"notices[{i}] repeats notice {notice}"));
            }
            wanted.Add((ec, notice));
        }

        var found = (await reader.FindCandidatesAsync(wanted, cancellationToken)).ToDictionary(c => (c.Organization, c.Option.NoticeNumber));
        var today = RomeCalendar.Today(time);
        var citizen = DossierAuthentication.Citizen(http);
        var chosen = new List<PayableCandidate>(wanted.Count);
        HashSet<DebtorIdentifier>? dependents = null;
        foreach (var (ec, notice) in wanted)
        {
            var candidate = found.GetValueOrDefault((ec.Value, notice.Value));
            if (candidate is not null && candidate.Debtor != citizen)
            {
                dependents ??= (await household.ListDependentsAsync(citizen, today, cancellationToken)).Select(d => d.FiscalCode).ToHashSet();
            }
            if (candidate is null || (candidate.Debtor != citizen && !dependents!.Contains(candidate.Debtor)))
            {
                // The same answer for a notice that does not exist and one that is somebody else's.
                return DossierEndpoints.NotFound($"notice {notice} of {ec} is not among yours");
            }
            if (candidate.CheckPayable(today) is { } fault)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "notice not payable now",
                    detail: $"notice {notice} of {ec} cannot be paid now: {Why(candidate, fault)}");
            }
            chosen.Add(candidate);
        }
        if (chosen.GroupBy(c => c.PositionId).FirstOrDefault(g => g.Select(c => c.Option.IsInstallment).Distinct().Count() > 1) is { } mixed)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "single payment and installments together",
                detail: $"notices {string.Join(", ", mixed.Select(c => c.Option.NoticeNumber))} belong to one debt: pay either its single payment or its installments");
        }
        return await CheckoutAsync(chosen, request.EmailNotice, checkout, options.Value.Checkout, time, cancellationToken);
    }

    private static async Task<IResult> EverythingDueAsync(HttpContext http, DossierReader reader, HouseholdStore household, CheckoutClient checkout,
        IOptions<DossierOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await ReadBodyAsync<EverythingDueRequestDto>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (EmailProblem(request?.EmailNotice) is { } bad)
        {
            return bad;
        }
        var today = RomeCalendar.Today(time);
        var citizen = DossierAuthentication.Citizen(http);
        List<DebtorIdentifier> subjects = [citizen];
        if (request?.IncludeHousehold == true)
        {
            subjects.AddRange((await household.ListDependentsAsync(citizen, today, cancellationToken)).Select(d => d.FiscalCode));
        }
        var chosen = new List<PayableCandidate>();
        foreach (var subject in subjects)
        {
            long after = 0;
            while (true)
            {
                var page = await reader.ListOpenDebtsAsync(subject, after, DossierReader.MaxLimit, cancellationToken);
                foreach (var position in page)
                {
                    chosen.AddRange(Due(position, today).Select(o => new PayableCandidate(position.Organization, position.OrganizationName, position.Expiry,
                        position.Id, subject, o, [])));
                }
                if (chosen.Count > MaxNoticesPerRequest)
                {
                    return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "too many notices",
                        detail: string.Create(CultureInfo.InvariantCulture,
                            $"more than {MaxNoticesPerRequest} notices are payable now; choose some and use POST /api/v1/dossier/carts"));
                }
                if (page.Count < DossierReader.MaxLimit)
                {
                    break;
                }
                after = page[^1].Id;
            }
        }
        // The earliest deadlines first, so the first cart pays what is most urgent.
        chosen = [.. chosen.OrderBy(c => c.Option.DueDate).ThenBy(c => c.Organization, StringComparer.Ordinal)
            .ThenBy(c => c.Option.NoticeNumber, StringComparer.Ordinal)];
        return await CheckoutAsync(chosen, request?.EmailNotice, checkout, options.Value.Checkout, time, cancellationToken);
    }

    /// <summary>
    /// What "everything due" pays of one position: the single payment when it is payable (it settles the position), else
    /// every payable installment.
    /// </summary>
    internal static IEnumerable<DossierOption> Due(DossierPosition position, DateOnly today)
    {
        var single = position.Options.FirstOrDefault(o => !o.IsInstallment);
        return single is not null && position.CheckPayable(single, today) is null
            ? [single]
            : position.Options.Where(o => o.IsInstallment && position.CheckPayable(o, today) is null);
    }

    /// <summary>Splits <paramref name="notices"/> into carts of at most <see cref="NoticesPerCart"/>, in order.</summary>
    internal static IReadOnlyList<IReadOnlyList<T>> Split<T>(IReadOnlyList<T> notices) => notices.Chunk(NoticesPerCart).ToList();

    private static async Task<IResult> CheckoutAsync(IReadOnlyList<PayableCandidate> notices, string? email, CheckoutClient checkout, CheckoutOptions settings,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var returnUrls = new CheckoutReturnUrls(settings.ReturnOkUrl!, settings.ReturnCancelUrl!, settings.ReturnErrorUrl!);
        var carts = new List<CartDto>();
        foreach (var group in Split(notices))
        {
            // idCart comes back in paGetPayment's paymentNote: a time-ordered id says when the cart was made.
            var idCart = Guid.CreateVersion7(time.GetUtcNow()).ToString();
            var cart = new CheckoutCart(group.Select(c => new CheckoutNotice(c.Option.NoticeNumber, c.Organization, c.Option.Amount.Cents, c.OrganizationName,
                c.Option.Description)).ToList(), returnUrls, idCart, string.IsNullOrWhiteSpace(email) ? null : email.Trim());
            Uri url;
            try
            {
                url = await checkout.CreateCartAsync(cart, cancellationToken);
            }
            catch (CheckoutException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "pagoPA Checkout unavailable",
                    detail: $"{e.Message}; nothing was charged, try again later");
            }
            carts.Add(new CartDto(idCart, url, group.Sum(c => c.Option.Amount.Cents), group.Select(c => new CartNoticeDto(c.Organization, c.OrganizationName,
                c.Option.NoticeNumber, c.Option.Description, c.Option.Amount.Cents, c.Option.DueDate, c.Option.InstallmentNumber, c.Debtor.Value)).ToList()));
        }
        return Results.Ok(new CartsDto(carts, carts.Sum(c => c.TotalCents)));
    }

    private static string Why(PayableCandidate candidate, PaaFaultCode fault) =>
        DebtOptionDto.Reason(candidate.Option.Status, fault) switch
        {
            NotPayableReason.Paid => "it is already paid",
            NotPayableReason.SettledByOtherOption => candidate.Option.IsInstallment
                ? "the single payment of this debt was paid"
                : "an installment of this debt was paid; pay the remaining installments instead",
            NotPayableReason.Cancelled => "the EC cancelled it",
            _ => "it expired",
        };

    private static IResult? EmailProblem(string? email) =>
        string.IsNullOrWhiteSpace(email) || (email.Length <= 254 && MailAddress.TryCreate(email.Trim(), out var parsed) && parsed.Address == email.Trim())
            ? null
            : DossierEndpoints.BadRequest("emailNotice is not an e-mail address");

    // The body as JSON; an empty body is null (every field optional), anything unreadable a 400 problem.
    private static async Task<(T? Value, IResult? Problem)> ReadBodyAsync<T>(HttpContext http, CancellationToken cancellationToken) where T : class
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "body too large",
                detail: string.Create(CultureInfo.InvariantCulture, $"the body is at most {MaxBodyBytes / 1024} KiB")));
        }
        if (http.Request.ContentLength == 0)
        {
            return (null, null);
        }
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        // Read at most one byte more than allowed, whatever the (chunked) body's announced length.
        var buffer = new byte[MaxBodyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await http.Request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        if (total > MaxBodyBytes)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "body too large",
                detail: string.Create(CultureInfo.InvariantCulture, $"the body is at most {MaxBodyBytes / 1024} KiB")));
        }
        if (total == 0)
        {
            return (null, null);
        }
        try
        {
            return (JsonSerializer.Deserialize<T>(buffer.AsSpan(0, total), json), null);
        }
        catch (JsonException)
        {
            return (null, DossierEndpoints.BadRequest("the body is not the JSON this endpoint expects"));
        }
    }
}
