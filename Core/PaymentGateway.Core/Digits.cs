namespace PaymentGateway.Core;

/// <summary>Small helpers shared by the value types' parsers.</summary>
internal static class Digits
{
    /// <summary>Returns an error when <paramref name="text"/> is not exactly <paramref name="length"/> ASCII digits.</summary>
    public static string? CheckExactDigits(string? text, int length, string what)
    {
        if (text is null)
        {
            return $"{what} is missing";
        }

        if (text.Length != length)
        {
            return $"{what} must be {length} digits, got {text.Length}";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return $"{what} must contain only digits, found '{text[i]}' at position {i + 1}";
            }
        }

        return null;
    }

    /// <summary>Parses ASCII digits (already validated) to a number.</summary>
    public static long ToInt64(ReadOnlySpan<char> digits)
    {
        long value = 0;
        foreach (var c in digits)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
