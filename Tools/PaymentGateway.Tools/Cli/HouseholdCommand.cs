using System.CommandLine;
using System.Globalization;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Persistence.Dossier;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw household add|remove|list</c>: the dossier's household relation (guardian → dependents), which lets a guardian
/// see and pay a dependent's debts. The Comune maintains it (e.g. from the registry office's records); citizens never
/// can. Exit codes: 0 done, 1 the database failed (or nothing to remove), 2 bad usage or a malformed fiscal code.
/// </summary>
internal static class HouseholdCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var guardian = new Argument<string>("GUARDIAN") { Description = "the guardian's fiscal code (16 characters, or an 11-digit temporary code)" };
        var dependent = new Argument<string>("DEPENDENT") { Description = "the dependent's fiscal code" };
        var name = new Option<string?>("--name") { Description = "what the guardian's app shows for the dependent (1-70 characters)" };
        var until = new Option<string?>("--until") { Description = "last day the relation holds, yyyy-MM-dd (e.g. the day before the dependent comes of age)" };

        var add = new Command("add", "Let GUARDIAN see and pay DEPENDENT's debts (again: updates --name and --until).") { guardian, dependent, name, until };
        add.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!Parse(parseResult.GetValue(guardian), "GUARDIAN", error, out var g) || !Parse(parseResult.GetValue(dependent), "DEPENDENT", error, out var d))
            {
                return PgwCommand.BadInput;
            }
            if (g == d)
            {
                error.WriteLine("pgw household add: a citizen cannot be their own dependent");
                return PgwCommand.BadInput;
            }
            var label = parseResult.GetValue(name);
            if (label is not null && label.Trim().Length is < 1 or > 70)
            {
                error.WriteLine("pgw household add: --name must be 1 to 70 characters");
                return PgwCommand.BadInput;
            }
            DateOnly? last = null;
            if (parseResult.GetValue(until) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    error.WriteLine($"pgw household add: --until '{text}' is not a date yyyy-MM-dd");
                    return PgwCommand.BadInput;
                }
                last = day;
            }
            return await WithStoreAsync(parseResult, "add", error, async store =>
            {
                var added = await store.AddAsync(g, d, label?.Trim(), last, TimeProvider.System.GetUtcNow(), cancellationToken);
                output.WriteLine(added ? "relation added" : "relation updated");
                return PgwCommand.Success;
            });
        });

        var removeGuardian = new Argument<string>("GUARDIAN") { Description = "the guardian's fiscal code" };
        var removeDependent = new Argument<string>("DEPENDENT") { Description = "the dependent's fiscal code" };
        var remove = new Command("remove", "GUARDIAN no longer sees or pays DEPENDENT's debts.") { removeGuardian, removeDependent };
        remove.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!Parse(parseResult.GetValue(removeGuardian), "GUARDIAN", error, out var g) || !Parse(parseResult.GetValue(removeDependent), "DEPENDENT", error, out var d))
            {
                return PgwCommand.BadInput;
            }
            return await WithStoreAsync(parseResult, "remove", error, async store =>
            {
                if (await store.RemoveAsync(g, d, cancellationToken))
                {
                    output.WriteLine("relation removed");
                    return PgwCommand.Success;
                }
                error.WriteLine("pgw household remove: there is no such relation");
                return PgwCommand.Failure;
            });
        });

        var listGuardian = new Argument<string>("GUARDIAN") { Description = "the guardian's fiscal code" };
        var list = new Command("list", "The dependents GUARDIAN may act for today (fiscal code;name;last day).") { listGuardian };
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!Parse(parseResult.GetValue(listGuardian), "GUARDIAN", error, out var g))
            {
                return PgwCommand.BadInput;
            }
            return await WithStoreAsync(parseResult, "list", error, async store =>
            {
                foreach (var d in await store.ListDependentsAsync(g, RomeCalendar.Today(TimeProvider.System), cancellationToken))
                {
                    output.WriteLine($"{d.FiscalCode.Value};{d.Name};{d.ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
                }
                return PgwCommand.Success;
            });
        });

        return new Command("household", "The dossier's household relation: guardians who see and pay their dependents' debts.") { add, remove, list };
    }

    private static bool Parse(string? text, string what, TextWriter error, out DebtorIdentifier citizen)
    {
        if (CitizenIdentifier.TryParse(text, out citizen))
        {
            return true;
        }
        error.WriteLine($"pgw household: {what} '{text}' is not a fiscal code (16 characters with a valid check letter, or 11 digits)");
        return false;
    }

    private static async Task<int> WithStoreAsync(ParseResult parseResult, string verb, TextWriter error, Func<HouseholdStore, Task<int>> work)
    {
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
            return await work(new HouseholdStore(dataSource));
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            error.WriteLine($"pgw household {verb}: cannot reach the database: {e.Message}");
            return PgwCommand.Failure;
        }
    }
}
