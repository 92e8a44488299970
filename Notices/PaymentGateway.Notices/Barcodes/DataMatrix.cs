namespace PaymentGateway.Notices.Barcodes;

/// <summary>
/// A Data Matrix ECC200 encoder (ISO/IEC 16022): encodation (ASCII + C40), Reed-Solomon, the "utah" module placement
/// and the finder/timing patterns of every data region. Written here because no barcode library is available.
/// </summary>
public static class DataMatrix
{
    /// <summary>
    /// Encodes <paramref name="text"/> (Latin-1) in the smallest symbol of <paramref name="shape"/>. The result is
    /// indexed [row, column], true = dark module, without the quiet zone (leave at least one module of white around it).
    /// </summary>
    /// <exception cref="ArgumentException">The text has characters outside Latin-1 or does not fit a 132x132 symbol.</exception>
    public static bool[,] Encode(string text, DataMatrixShape shape = DataMatrixShape.Square)
    {
        ArgumentNullException.ThrowIfNull(text);
        var data = DataMatrixEncodation.Encode(text);
        var symbol = DataMatrixSymbol.Smallest(data.Count, shape)
            ?? throw new ArgumentException($"{data.Count} codewords do not fit any {shape} Data Matrix symbol", nameof(text));
        var codewords = DataMatrixReedSolomon.AddErrorCorrection(DataMatrixEncodation.Pad(data, symbol.DataCodewords), symbol);
        return Draw(symbol, Place(codewords, symbol.MappingRows, symbol.MappingColumns));
    }

    /// <summary>The ISO/IEC 16022 Annex F placement of the codewords' bits in the mapping matrix.</summary>
    private static bool[,] Place(byte[] codewords, int rows, int columns)
    {
        var bits = new bool[rows, columns];
        var placed = new bool[rows, columns];

        void Module(int row, int col, int position, int bit)
        {
            // Wrap-around rules for modules that fall off an edge of the mapping matrix.
            if (row < 0)
            {
                row += rows;
                col += 4 - ((rows + 4) % 8);
            }
            if (col < 0)
            {
                col += columns;
                row += 4 - ((columns + 4) % 8);
            }
            // Bit 1 is the codeword's most significant bit.
            bits[row, col] = (codewords[position] & (1 << (8 - bit))) != 0;
            placed[row, col] = true;
        }

        void Utah(int row, int col, int position)
        {
            Module(row - 2, col - 2, position, 1);
            Module(row - 2, col - 1, position, 2);
            Module(row - 1, col - 2, position, 3);
            Module(row - 1, col - 1, position, 4);
            Module(row - 1, col, position, 5);
            Module(row, col - 2, position, 6);
            Module(row, col - 1, position, 7);
            Module(row, col, position, 8);
        }

        void Corner(int position, params (int Row, int Col)[] modules)
        {
            for (var k = 0; k < 8; k++)
            {
                Module(modules[k].Row, modules[k].Col, position, k + 1);
            }
        }

        int n = rows, m = columns;
        var pos = 0;
        int r = 4, c = 0;
        do
        {
            if (r == n && c == 0)
            {
                Corner(pos++, (n - 1, 0), (n - 1, 1), (n - 1, 2), (0, m - 2), (0, m - 1), (1, m - 1), (2, m - 1), (3, m - 1));
            }
            if (r == n - 2 && c == 0 && m % 4 != 0)
            {
                Corner(pos++, (n - 3, 0), (n - 2, 0), (n - 1, 0), (0, m - 4), (0, m - 3), (0, m - 2), (0, m - 1), (1, m - 1));
            }
            if (r == n - 2 && c == 0 && m % 8 == 4)
            {
                Corner(pos++, (n - 3, 0), (n - 2, 0), (n - 1, 0), (0, m - 2), (0, m - 1), (1, m - 1), (2, m - 1), (3, m - 1));
            }
            if (r == n + 4 && c == 2 && m % 8 == 0)
            {
                Corner(pos++, (n - 1, 0), (n - 1, m - 1), (0, m - 3), (0, m - 2), (0, m - 1), (1, m - 3), (1, m - 2), (1, m - 1));
            }
            // Sweep up and to the right…
            do
            {
                if (r < n && c >= 0 && !placed[r, c])
                {
                    Utah(r, c, pos++);
                }
                r -= 2;
                c += 2;
            }
            while (r >= 0 && c < m);
            r += 1;
            c += 3;
            // …then down and to the left.
            do
            {
                if (r >= 0 && c < m && !placed[r, c])
                {
                    Utah(r, c, pos++);
                }
                r += 2;
                c -= 2;
            }
            while (r < n && c >= 0);
            r += 3;
            c += 1;
        }
        while (r < n || c < m);

        // Symbols whose size leaves the bottom-right 2x2 unfilled get the fixed checkerboard there.
        if (!placed[n - 1, m - 1])
        {
            bits[n - 1, m - 1] = bits[n - 2, m - 2] = true;
            bits[n - 1, m - 2] = bits[n - 2, m - 1] = false;
        }
        return bits;
    }

    /// <summary>Splits the mapping matrix into data regions, each framed by its finder "L" (left, bottom) and timing (top, right).</summary>
    private static bool[,] Draw(DataMatrixSymbol symbol, bool[,] mapping)
    {
        var modules = new bool[symbol.Rows, symbol.Columns];
        int height = symbol.RegionRows + 2, width = symbol.RegionColumns + 2;
        for (var rv = 0; rv < symbol.RegionsDown; rv++)
        {
            for (var rh = 0; rh < symbol.RegionsAcross; rh++)
            {
                int top = rv * height, left = rh * width;
                for (var x = 0; x < width; x++)
                {
                    modules[top + height - 1, left + x] = true;
                    modules[top, left + x] = x % 2 == 0;
                }
                for (var y = 0; y < height; y++)
                {
                    modules[top + y, left] = true;
                    modules[top + y, left + width - 1] = y % 2 == 1;
                }
                for (var y = 0; y < symbol.RegionRows; y++)
                {
                    for (var x = 0; x < symbol.RegionColumns; x++)
                    {
                        modules[top + 1 + y, left + 1 + x] = mapping[(rv * symbol.RegionRows) + y, (rh * symbol.RegionColumns) + x];
                    }
                }
            }
        }
        return modules;
    }
}
