using System.Globalization;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Tools.Seeding;

/// <summary>
/// The demo Comune: Milan (01199250158) acting as its own broker, station <c>01199250158_01</c>, segregation code 01,
/// and a TARI emission whose notices carry the TEFA (5%) as a second transfer to the Città Metropolitana di Milano.
/// Everything is generated from a seed, so the same seed gives the same notices. The IBANs and the CBILL code are
/// demo values with valid check digits, not Milan's real accounts.
/// </summary>
internal static class DemoComune
{
    public static readonly OrganizationFiscalCode Milano = OrganizationFiscalCode.Parse("01199250158");
    public static readonly OrganizationFiscalCode CittaMetropolitana = OrganizationFiscalCode.Parse("08911820960");
    public const string MilanoName = "Comune di Milano";
    public const string CittaMetropolitanaName = "Città Metropolitana di Milano";
    public const string StationId = "01199250158_01";
    public static readonly SegregationCode Segregation = SegregationCode.Parse("01");
    public static readonly Iban MilanoBankIban = Iban.Parse("IT35O0306901600000000012345");
    public static readonly Iban MilanoPostalIban = Iban.Parse("IT22L0760101600000012345678");

    /// <summary>A made-up Poste authorisation for the demo's postal slips (a real EC prints its own).</summary>
    public const string MilanoPostalAuthorization = "AUT. DEMO/0001 DEL 01/01/2026";
    public static readonly Iban CittaMetropolitanaIban = Iban.Parse("IT52E0503401600000000067890");
    // Demo taxonomy codes in the documented shape; a real deployment takes them from the official taxonomy.
    public static readonly TaxonomyCode TariCategory = TaxonomyCode.Parse("9/0201102IM/");
    public static readonly TaxonomyCode TefaCategory = TaxonomyCode.Parse("9/0301109IM/");

    /// <summary>A spontaneous service for paDemandPaymentNotice: the secretarial fee of a registry certificate.</summary>
    public static readonly PaymentGateway.Persistence.Creditors.SpontaneousService CertificateFee = new(
        Milano, "00001", "Diritti di segreteria - certificato anagrafico", EuroCents.FromCents(52), MilanoBankIban,
        TaxonomyCode.Parse("9/0201117SP/"), DueInDays: 30);

    private static readonly string[] Surnames =
    [
        "ROSSI", "RUSSO", "FERRARI", "ESPOSITO", "BIANCHI", "ROMANO", "COLOMBO", "RICCI", "MARINO", "GRECO", "BRUNO",
        "GALLO", "CONTI", "DE LUCA", "MANCINI", "COSTA", "GIORDANO", "RIZZO", "LOMBARDI", "MORETTI", "BARBIERI",
        "FONTANA", "SANTORO", "MARIANI", "RINALDI", "CARUSO", "FERRARA", "GALLI", "MARTINI", "LEONE", "LONGO",
        "GENTILE", "MARTINELLI", "VITALE", "LOMBARDO", "SERRA", "COPPOLA", "DE SANTIS", "D'ANGELO", "MARCHETTI",
    ];
    private static readonly string[] MaleNames =
    [
        "MARCO", "GIUSEPPE", "LUCA", "ANDREA", "FRANCESCO", "ALESSANDRO", "MATTEO", "LORENZO", "DAVIDE", "STEFANO",
        "PAOLO", "GIOVANNI", "ROBERTO", "SIMONE", "FEDERICO", "RICCARDO", "ANTONIO", "MASSIMO", "FABIO", "MARIO",
    ];
    private static readonly string[] FemaleNames =
    [
        "GIULIA", "FRANCESCA", "CHIARA", "SARA", "MARTINA", "ANNA", "ELENA", "VALENTINA", "LAURA", "ALESSIA",
        "SILVIA", "FEDERICA", "PAOLA", "ELISA", "MARIA", "ROBERTA", "ILARIA", "GIORGIA", "SOFIA", "BEATRICE",
    ];
    private static readonly string[] BirthPlaces = ["F205", "H501", "F839", "L219", "A794", "D969", "G273", "B157"];

    /// <summary>Builds <paramref name="count"/> TARI positions with notice numbers from <paramref name="firstIuvBase"/>.</summary>
    /// <param name="count">Number of positions.</param>
    /// <param name="firstIuvBase">First IUV base reserved for this batch (each option takes one).</param>
    /// <param name="year">Emission year (printed in descriptions and IUPDs).</param>
    /// <param name="firstDueDate">Due date of the single payment and of the first installment.</param>
    /// <param name="seed">Random seed: same seed, same positions.</param>
    public static IReadOnlyList<DebtPosition> TariEmission(int count, long firstIuvBase, int year, DateOnly firstDueDate, int seed)
    {
        var random = new Random(seed);
        var positions = new List<DebtPosition>(count);
        var nextBase = firstIuvBase;
        for (var i = 0; i < count; i++)
        {
            var (debtor, debtorName) = Person(random);
            // Milan's household TARI is mostly €150–€450, with a tail of large households and small businesses.
            var tari = random.NextDouble() < 0.9 ? random.Next(15_000, 45_000) : random.Next(45_000, 250_000);
            var tefa = (tari * 5 + 50) / 100;
            var installments = random.NextDouble() < 0.6 ? 3 : 2;
            var options = new List<PaymentOption>(installments + 1)
            {
                Option(nextBase++, tari, tefa, firstDueDate, $"TARI {year} - rata unica", null),
            };
            for (var n = 1; n <= installments; n++)
            {
                var (tariPart, tefaPart) = (Share(tari, installments, n), Share(tefa, installments, n));
                var due = firstDueDate.AddMonths((n - 1) * (installments == 3 ? 3 : 5));
                options.Add(Option(nextBase++, tariPart, tefaPart, due, $"TARI {year} - rata {n} di {installments}", n));
            }
            var iupd = string.Create(CultureInfo.InvariantCulture, $"TARI-{year}-{i + 1:D7}");
            positions.Add(Unwrap(DebtPosition.Create(Milano, iupd, debtor, debtorName, $"TARI {year} - tassa sui rifiuti", options), iupd));
        }
        return positions;
    }

    // Installment n of k: equal shares, the remainder cents on the first installment.
    private static long Share(long total, int k, int n) => total / k + (n == 1 ? total % k : 0);

    private static PaymentOption Option(long iuvBase, long tariCents, long tefaCents, DateOnly due, string description, int? installment)
    {
        var notice = NoticeNumber.Create(Segregation, iuvBase);
        var transfers = new List<Transfer>
        {
            new(1, Milano, new BankAccount(MilanoBankIban), EuroCents.FromCents(tariCents), TariCategory, description, Capitolo: "1010", Accertamento: "TARI"),
            new(2, CittaMetropolitana, new BankAccount(CittaMetropolitanaIban), EuroCents.FromCents(tefaCents), TefaCategory, "TEFA " + description[5..], Capitolo: "TEFA"),
        };
        return Unwrap(PaymentOption.Create(notice, EuroCents.FromCents(tariCents + tefaCents), due, description, installment, transfers), notice.ToString());
    }

    private static (DebtorIdentifier Id, string Name) Person(Random random)
    {
        var female = random.Next(2) == 0;
        var surname = Surnames[random.Next(Surnames.Length)];
        var name = (female ? FemaleNames : MaleNames)[random.Next(10 + random.Next(10))];
        var year = random.Next(30, 100);
        var month = "ABCDEHLMPRST"[random.Next(12)];
        var day = random.Next(1, 29) + (female ? 40 : 0);
        var first15 = string.Create(CultureInfo.InvariantCulture,
            $"{Consonants(surname, false)}{Consonants(name, true)}{year:D2}{month}{day:D2}{BirthPlaces[random.Next(BirthPlaces.Length)]}");
        var fiscalCode = first15 + PersonalFiscalCode.ComputeCheckCharacter(first15);
        if (!DebtorIdentifier.TryCreate(EntityType.Person, fiscalCode, out var id, out var error))
        {
            throw new InvalidOperationException($"demo fiscal code {fiscalCode} rejected: {error}");
        }
        return (id, $"{name} {surname}");
    }

    // The fiscal-code rule for the surname/name triplets: consonants first, then vowels, then X.
    private static string Consonants(string word, bool isName)
    {
        var letters = word.Where(char.IsAsciiLetterUpper).ToArray();
        var consonants = letters.Where(c => !"AEIOU".Contains(c, StringComparison.Ordinal)).ToArray();
        if (isName && consonants.Length >= 4)
        {
            return new string([consonants[0], consonants[2], consonants[3]]);
        }
        var vowels = letters.Where(c => "AEIOU".Contains(c, StringComparison.Ordinal));
        return new string(consonants.Concat(vowels).Concat("XXX").Take(3).ToArray());
    }

    private static T Unwrap<T>(DomainResult<T> result, string what) =>
        result.IsSuccess
            ? result.Value
            : throw new InvalidOperationException($"demo data {what} is invalid: {string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
}
