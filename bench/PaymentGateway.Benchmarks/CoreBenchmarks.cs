using BenchmarkDotNet.Attributes;
using PaymentGateway.Core;

namespace PaymentGateway.Benchmarks;

/// <summary>The identifier and money rules every notice and every Node call goes through.</summary>
[MemoryDiagnoser]
public class CoreBenchmarks
{
    private static readonly SegregationCode Segregation = SegregationCode.Parse("01");
    private long _base = 1_234_567;

    /// <summary>Numbering one notice: IUV base → notice number with mod-93 check digits (issuance runs this 730k times).</summary>
    [Benchmark]
    public NoticeNumber CreateNoticeNumber() => NoticeNumber.Create(Segregation, _base++ % 10_000_000_000_000);

    /// <summary>Reading the notice number of a Node request (format + check digits).</summary>
    [Benchmark]
    public bool ParseNoticeNumber() => NoticeNumber.TryParse("301000000000000144", out _);

    /// <summary>An IBAN from a position row or an import line (mod-97).</summary>
    [Benchmark]
    public bool ParseIban() => Iban.TryParse("IT35O0306901600000000012345", out _);

    /// <summary>An xsd stAmount from a receipt.</summary>
    [Benchmark]
    public EuroCents ParseAmount() => EuroCents.ParseXsdAmount("1234.56");

    /// <summary>An amount written into a SOAP answer.</summary>
    [Benchmark]
    public string FormatAmount() => EuroCents.FromCents(123_456).ToXsdAmount();
}
