using System.Globalization;

namespace PaymentGateway.Load;

/// <summary><c>--name value</c> pairs; a name may repeat (<c>--env a=b --env c=d</c>).</summary>
public sealed class Arguments
{
    private readonly List<(string Name, string Value)> _pairs = [];

    public static Arguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }
            parsed._pairs.Add((args[i][2..], args[i + 1]));
        }
        return parsed;
    }

    public string? Optional(string name) => _pairs.LastOrDefault(p => p.Name == name).Value;

    public IEnumerable<string> All(string name) => _pairs.Where(p => p.Name == name).Select(p => p.Value);

    public string Required(string name) => Optional(name) ?? throw new ArgumentException($"--{name} is required");

    public double Number(string name, double? fallback = null) =>
        Optional(name) is { } text
            ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
            : fallback ?? throw new ArgumentException($"--{name} is required");
}
