namespace PaymentGateway.Notices.Barcodes;

/// <summary>The shapes a Data Matrix may take when choosing the smallest symbol.</summary>
public enum DataMatrixShape
{
    /// <summary>Square symbols only (what postal and most printed forms use).</summary>
    Square,
    /// <summary>Rectangular symbols only (8x18 … 16x48).</summary>
    Rectangle,
    /// <summary>The smallest symbol of either shape.</summary>
    Any,
}

/// <summary>
/// One ECC200 symbol size (ISO/IEC 16022 table 7): total rows/columns including finder and timing patterns, the size
/// of one data region, and how many data and error correction codewords it holds in how many interleaved blocks.
/// </summary>
internal sealed record DataMatrixSymbol(int Rows, int Columns, int RegionRows, int RegionColumns, int DataCodewords, int ErrorCodewords, int Blocks)
{
    /// <summary>Data regions stacked vertically (each is framed by its own 2-module border).</summary>
    public int RegionsDown => Rows / (RegionRows + 2);

    /// <summary>Data regions side by side.</summary>
    public int RegionsAcross => Columns / (RegionColumns + 2);

    /// <summary>Rows of the mapping matrix (the symbol without the region borders).</summary>
    public int MappingRows => RegionsDown * RegionRows;

    /// <summary>Columns of the mapping matrix.</summary>
    public int MappingColumns => RegionsAcross * RegionColumns;

    public bool IsSquare => Rows == Columns;

    // 144x144 is left out on purpose: its blocks have unequal lengths and nothing we print comes near 1304 codewords.
    public static IReadOnlyList<DataMatrixSymbol> All { get; } =
    [
        new(10, 10, 8, 8, 3, 5, 1),
        new(12, 12, 10, 10, 5, 7, 1),
        new(8, 18, 6, 16, 5, 7, 1),
        new(14, 14, 12, 12, 8, 10, 1),
        new(8, 32, 6, 14, 10, 11, 1),
        new(16, 16, 14, 14, 12, 12, 1),
        new(12, 26, 10, 24, 16, 14, 1),
        new(18, 18, 16, 16, 18, 14, 1),
        new(20, 20, 18, 18, 22, 18, 1),
        new(12, 36, 10, 16, 22, 18, 1),
        new(22, 22, 20, 20, 30, 20, 1),
        new(16, 36, 14, 16, 32, 24, 1),
        new(24, 24, 22, 22, 36, 24, 1),
        new(26, 26, 24, 24, 44, 28, 1),
        new(16, 48, 14, 22, 49, 28, 1),
        new(32, 32, 14, 14, 62, 36, 1),
        new(36, 36, 16, 16, 86, 42, 1),
        new(40, 40, 18, 18, 114, 48, 1),
        new(44, 44, 20, 20, 144, 56, 1),
        new(48, 48, 22, 22, 174, 68, 1),
        new(52, 52, 24, 24, 204, 84, 2),
        new(64, 64, 14, 14, 280, 112, 2),
        new(72, 72, 16, 16, 368, 144, 4),
        new(80, 80, 18, 18, 456, 192, 4),
        new(88, 88, 20, 20, 576, 224, 4),
        new(96, 96, 22, 22, 696, 272, 4),
        new(104, 104, 24, 24, 816, 336, 6),
        new(120, 120, 18, 18, 1050, 408, 6),
        new(132, 132, 20, 20, 1304, 496, 8),
    ];

    /// <summary>The smallest symbol of <paramref name="shape"/> holding <paramref name="dataCodewords"/>, or null.</summary>
    public static DataMatrixSymbol? Smallest(int dataCodewords, DataMatrixShape shape) =>
        All.Where(s => s.DataCodewords >= dataCodewords && shape switch
            {
                DataMatrixShape.Square => s.IsSquare,
                DataMatrixShape.Rectangle => !s.IsSquare,
                _ => true,
            })
            .OrderBy(s => s.DataCodewords).ThenBy(s => s.Rows * s.Columns)
            .FirstOrDefault();
}
