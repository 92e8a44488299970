namespace PaymentGateway.Notices.Barcodes;

/// <summary>
/// Turns text (Latin-1) into ECC200 data codewords with ASCII encodation (digit pairs in one codeword) and C40
/// for long runs of upper-case letters, digits and spaces (3 characters in 2 codewords). Poste's payload is mostly
/// such runs (space-padded, upper-case name and subject), so C40 is what keeps it in a 48x48/52x52 symbol instead
/// of 64x64.
/// </summary>
internal static class DataMatrixEncodation
{
    private const byte LatchC40 = 230;
    private const byte Unlatch = 254;
    private const byte UpperShift = 235;
    private const byte FirstPad = 129;
    // A run of digits this long is cheaper as ASCII pairs (1/2 codeword each) than in C40 (2/3), latches included.
    private const int LongDigitRun = 12;

    public static List<byte> Encode(string text)
    {
        var codewords = new List<byte>(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var digits = DigitRun(text, i);
            if (digits >= LongDigitRun)
            {
                AppendAscii(codewords, text, i, digits);
                i += digits;
                continue;
            }
            var run = C40RunLength(text, i);
            if (run >= 3 && C40Cost(run) < AsciiCost(text, i, run))
            {
                var whole = run / 3 * 3;
                codewords.Add(LatchC40);
                for (var k = i; k < i + whole; k += 3)
                {
                    var v = (1600 * C40Value(text[k])) + (40 * C40Value(text[k + 1])) + C40Value(text[k + 2]) + 1;
                    codewords.Add((byte)(v / 256));
                    codewords.Add((byte)(v % 256));
                }
                // Always unlatch: the 0-2 characters left of the run, and any padding, are ASCII.
                codewords.Add(Unlatch);
                AppendAscii(codewords, text, i + whole, run - whole);
                i += run;
            }
            else
            {
                var length = Math.Max(run, 1);
                AppendAscii(codewords, text, i, length);
                i += length;
            }
        }
        return codewords;
    }

    /// <summary>Pads <paramref name="codewords"/> to <paramref name="capacity"/> (ISO/IEC 16022 §5.2.3: 129, then the 253-state randomised pad).</summary>
    public static byte[] Pad(List<byte> codewords, int capacity)
    {
        var result = new byte[capacity];
        codewords.CopyTo(result);
        for (var position = codewords.Count; position < capacity; position++)
        {
            if (position == codewords.Count)
            {
                result[position] = FirstPad;
                continue;
            }
            var pseudo = ((149 * (position + 1)) % 253) + 1;
            var pad = FirstPad + pseudo;
            result[position] = (byte)(pad <= 254 ? pad : pad - 254);
        }
        return result;
    }

    private static bool IsC40Basic(char c) => c == ' ' || char.IsAsciiDigit(c) || c is >= 'A' and <= 'Z';

    private static int C40Value(char c) => c switch
    {
        ' ' => 3,
        >= '0' and <= '9' => c - '0' + 4,
        _ => c - 'A' + 14,
    };

    private static int C40Cost(int run) => 2 + (run / 3 * 2) + (run % 3);

    private static int DigitRun(string text, int start)
    {
        var i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        return i - start;
    }

    /// <summary>Length of the run of C40 basic characters at <paramref name="start"/>, ending before a long digit run.</summary>
    private static int C40RunLength(string text, int start)
    {
        var i = start;
        while (i < text.Length && IsC40Basic(text[i]))
        {
            var digits = DigitRun(text, i);
            if (digits >= LongDigitRun)
            {
                break;
            }
            i += Math.Max(digits, 1);
        }
        return i - start;
    }

    private static int AsciiCost(string text, int start, int length)
    {
        var cost = 0;
        for (var i = start; i < start + length; i++)
        {
            cost++;
            if (i + 1 < start + length && char.IsAsciiDigit(text[i]) && char.IsAsciiDigit(text[i + 1]))
            {
                i++;
            }
        }
        return cost;
    }

    private static void AppendAscii(List<byte> codewords, string text, int start, int length)
    {
        var end = start + length;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c) && i + 1 < end && char.IsAsciiDigit(text[i + 1]))
            {
                codewords.Add((byte)(130 + ((c - '0') * 10) + (text[i + 1] - '0')));
                i++;
            }
            else if (c < 128)
            {
                codewords.Add((byte)(c + 1));
            }
            else if (c <= 255)
            {
                codewords.Add(UpperShift);
                codewords.Add((byte)(c - 128 + 1));
            }
            else
            {
                throw new ArgumentException($"character U+{(int)c:X4} is outside Latin-1 and cannot be encoded", nameof(text));
            }
        }
    }
}
