namespace PaymentGateway.Notices.Barcodes;

/// <summary>Reed-Solomon error correction for ECC200: GF(256) with primitive polynomial 301 (x^8+x^5+x^3+x^2+1), roots α^1..α^n.</summary>
internal static class DataMatrixReedSolomon
{
    private static readonly int[] Log = new int[256];
    private static readonly int[] Exp = new int[255];

    static DataMatrixReedSolomon()
    {
        var x = 1;
        for (var i = 0; i < 255; i++)
        {
            Exp[i] = x;
            Log[x] = i;
            x <<= 1;
            if (x >= 256)
            {
                x ^= 301;
            }
        }
    }

    private static int Multiply(int a, int b) => a == 0 || b == 0 ? 0 : Exp[(Log[a] + Log[b]) % 255];

    /// <summary>Coefficients of ∏(x − α^i), i = 1..<paramref name="degree"/>, highest power first (leading 1 omitted).</summary>
    private static int[] Generator(int degree)
    {
        var g = new int[degree + 1];
        g[0] = 1;
        for (var i = 1; i <= degree; i++)
        {
            // Multiply g by (x + α^i); in GF(2^8) minus is plus.
            for (var j = i; j >= 1; j--)
            {
                g[j] = g[j - 1] ^ Multiply(g[j], Exp[i]);
            }
            g[0] = Multiply(g[0], Exp[i]);
        }
        // g[k] is the coefficient of x^k; return x^(degree-1) .. x^0.
        var result = new int[degree];
        for (var k = 0; k < degree; k++)
        {
            result[k] = g[degree - 1 - k];
        }
        return result;
    }

    /// <summary>Appends the error codewords of <paramref name="symbol"/> to its data codewords, interleaving the blocks.</summary>
    public static byte[] AddErrorCorrection(byte[] data, DataMatrixSymbol symbol)
    {
        var blocks = symbol.Blocks;
        var eccPerBlock = symbol.ErrorCodewords / blocks;
        var generator = Generator(eccPerBlock);
        var result = new byte[symbol.DataCodewords + symbol.ErrorCodewords];
        data.CopyTo(result, 0);
        for (var b = 0; b < blocks; b++)
        {
            // Polynomial division of the block's data (every blocks-th codeword) by the generator.
            var remainder = new int[eccPerBlock];
            for (var i = b; i < symbol.DataCodewords; i += blocks)
            {
                var factor = data[i] ^ remainder[0];
                for (var k = 0; k < eccPerBlock - 1; k++)
                {
                    remainder[k] = remainder[k + 1] ^ Multiply(factor, generator[k]);
                }
                remainder[eccPerBlock - 1] = Multiply(factor, generator[eccPerBlock - 1]);
            }
            for (var k = 0; k < eccPerBlock; k++)
            {
                result[symbol.DataCodewords + b + (k * blocks)] = (byte)remainder[k];
            }
        }
        return result;
    }
}
