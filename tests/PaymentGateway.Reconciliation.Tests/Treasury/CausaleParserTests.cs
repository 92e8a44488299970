using PaymentGateway.Core;
using PaymentGateway.Reconciliation.Treasury;

namespace PaymentGateway.Reconciliation.Tests.Treasury;

public sealed class CausaleParserTests
{
    [Theory]
    [InlineData("/PUR/LGPE-RIVERSAMENTO/URI/2021-11-21ABI00000-AABB648200001295", null)]
    [InlineData("/PUR/LGPE-RIVERSAMENTO/TXT/0/URI/2021-11-21ABI00000-AABB648200001295", 0)]
    [InlineData("/PUR/LGPE-RIVERSAMENTO/TXT/3/URI/2021-11-21ABI00000-AABB648200001295", 3)]
    public void Parse_CanonicalSettlement_FlowIdWithFullConfidence(string causale, int? progressive)
    {
        var parsed = CausaleParser.Parse(causale);

        Assert.Equal(CausaleKind.FlowSettlement, parsed.Kind);
        Assert.Equal("2021-11-21ABI00000-AABB648200001295", parsed.FlowId);
        Assert.Equal(["2021-11-21ABI00000-AABB648200001295"], parsed.FlowIdCandidates);
        Assert.False(parsed.Truncated);
        Assert.Equal(progressive, parsed.Progressive);
        Assert.Equal(100, parsed.Confidence);
    }

    [Theory]
    [InlineData("/pur/lgpe-riversamento/uri/2025-01-0188888888888-0000001")]
    [InlineData("/PUR/LGPE RIVERSAMENTO/URI/2025-01-0188888888888-0000001")]
    [InlineData("/ PUR / LGPE-RIVERSAMENTO / TXT / 0 / URI / 2025-01-0188888888888-0000001")]
    [InlineData("PUR/LGPE_RIVERSAMENTO/URI/2025-01-0188888888888-0000001")]
    [InlineData("BONIFICO A VOSTRO FAVORE DA POSTE ITALIANE SERVIZIO PAGOPA /PUR/LGPE-RIVERSAMENTO/URI/2025-01-0188888888888-0000001 DEL 02/01/2025")]
    [InlineData("/PUR/LGPE-RIVERSAMENTO/URI/2025-01-0188888888888-0000001/")]
    public void Parse_VariationsBanksIntroduce_SameFlowIdWithSlightlyLessConfidence(string causale)
    {
        var parsed = CausaleParser.Parse(causale);

        Assert.Equal(CausaleKind.FlowSettlement, parsed.Kind);
        Assert.Equal("2025-01-0188888888888-0000001", parsed.FlowId);
        Assert.False(parsed.Truncated);
        Assert.InRange(parsed.Confidence, 90, 100);
    }

    [Fact]
    public void Parse_LinesCutByTheBank_JoinedWithoutSpace()
    {
        var parsed = CausaleParser.Parse("/PUR/LGPE-RIVERSAMENTO/TXT/0/URI/2\n026-11-21BPPIITRRXXX-0000000042");

        Assert.Equal("2026-11-21BPPIITRRXXX-0000000042", parsed.FlowId);
        Assert.Equal(100, parsed.Confidence);
    }

    [Fact]
    public void Parse_SpaceInsideTheFlowId_CandidatesJoinThePieces()
    {
        var parsed = CausaleParser.Parse("/PUR/LGPE-RIVERSAMENTO/URI/2026-11-21UNCRITMM-00000 00888 RIF 12");

        Assert.Equal("2026-11-21UNCRITMM-00000", parsed.FlowId);
        Assert.Equal(
            ["2026-11-21UNCRITMM-00000", "2026-11-21UNCRITMM-0000000888", "2026-11-21UNCRITMM-0000000888RIF", "2026-11-21UNCRITMM-0000000888RIF12"],
            parsed.FlowIdCandidates);
        Assert.False(parsed.Truncated);
        Assert.Equal(90, parsed.Confidence);
    }

    [Fact]
    public void Parse_CutAtTheBankLimit_PartialFlowIdMarkedTruncated()
    {
        const string head = "BONIFICO SEPA A VOSTRO FAVORE DA BANCA SELLA SPA SERVIZIO PAGOPA - RIF. 0000099 - ";
        var causale = head + "/PUR/LGPE-RIVERSAMENTO/TXT/0/URI/2026-11-21SELBIT2B-000000";
        Assert.Equal(CausaleParser.BankLimit, causale.Length);

        var parsed = CausaleParser.Parse(causale);

        Assert.Equal(CausaleKind.FlowSettlement, parsed.Kind);
        Assert.True(parsed.Truncated);
        Assert.Equal("2026-11-21SELBIT2B-000000", parsed.FlowId);
        Assert.Equal(90 * 25 / 35, parsed.Confidence);
    }

    [Fact]
    public void Parse_IdCutBeforeItsFlowPart_TruncatedEvenWhenShort()
    {
        var parsed = CausaleParser.Parse("/PUR/LGPE-RIVERSAMENTO/URI/2026-11-21ABI03069-");

        Assert.True(parsed.Truncated);
        Assert.Equal("2026-11-21ABI03069-", parsed.FlowId);
    }

    [Fact]
    public void Parse_TooLittleOfTheIdLeft_TruncatedWithLowConfidence()
    {
        var parsed = CausaleParser.Parse("/PUR/LGPE-RIVERSAMENTO/URI/2026-11-2");

        Assert.True(parsed.Truncated);
        Assert.True(parsed.FlowId!.Length < CausaleParser.MinimumPrefixLength);
        Assert.Equal(10, parsed.Confidence);
    }

    [Fact]
    public void Parse_CutInsideTheMarker_SettlementWithoutFlowId()
    {
        var parsed = CausaleParser.Parse("ACCREDITO DA NEXI SERVIZIO PAGOPA CAUSALE /PUR/LGPE-RIVERSAMENTO/TX");

        Assert.Equal(CausaleKind.FlowSettlement, parsed.Kind);
        Assert.Null(parsed.FlowId);
        Assert.True(parsed.Truncated);
        Assert.Equal(20, parsed.Confidence);
    }

    [Fact]
    public void Parse_RfbWithIuvAndAmount_SinglePayment()
    {
        var parsed = CausaleParser.Parse("/RFB/01000000000000144/120.00/TXT/TARI 2026 RATA 1");

        Assert.Equal(CausaleKind.SinglePayment, parsed.Kind);
        Assert.Equal("01000000000000144", parsed.Iuv);
        Assert.Equal(EuroCents.FromCents(12_000), parsed.Amount);
        Assert.Equal(100, parsed.Confidence);
    }

    [Fact]
    public void Parse_RfbWithBadCheckDigitsAndNoAmount_LowerConfidence()
    {
        var parsed = CausaleParser.Parse("/rfb/01000000000000145");

        Assert.Equal("01000000000000145", parsed.Iuv);
        Assert.Null(parsed.Amount);
        Assert.Equal(80, parsed.Confidence);
    }

    [Theory]
    [InlineData("/RFS/RF18539007547034/10.50", "RF18539007547034", 100)]
    [InlineData("/RFS/RF18 5390 0754 7034/10.50/TXT/MULTA", "RF18539007547034", 100)]
    [InlineData("/RFS/RF18 5390 0754 7034 MULTA", "RF18539007547034", 90)]
    [InlineData("/RFS/RF19539007547034/10.50", "RF19539007547034", 60)]
    public void Parse_RfsWithCreditorReference_CheckDigitsDecideConfidence(string causale, string reference, int confidence)
    {
        var parsed = CausaleParser.Parse(causale);

        Assert.Equal(CausaleKind.SinglePayment, parsed.Kind);
        Assert.Equal(reference, parsed.Iuv);
        Assert.Equal(confidence, parsed.Confidence);
    }

    [Theory]
    [InlineData("PAGAMENTO TARI AVVISO IUV 01000000000000144 ROSSI MARIO", 80)]
    [InlineData("PAGAMENTO 01000000000000145", 50)]
    public void Parse_Bare17DigitIuv_SinglePayment(string causale, int confidence)
    {
        var parsed = CausaleParser.Parse(causale);

        Assert.Equal(CausaleKind.SinglePayment, parsed.Kind);
        Assert.Equal(causale.Split(' ').Single(w => w.Length == 17), parsed.Iuv);
        Assert.Equal(confidence, parsed.Confidence);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("CANONE LOCAZIONE NOVEMBRE 2026")]
    [InlineData("RIMBORSO 301000000000000144")]
    [InlineData("RIVERSAMENTO INCASSI PAGOPA DEL 21/11/2026")]
    public void Parse_NothingToReconcile_Unrecognised(string? causale)
    {
        Assert.Equal(CausaleKind.Unrecognised, CausaleParser.Parse(causale).Kind);
    }

    [Theory]
    [InlineData("RF18539007547034", true)]
    [InlineData("RF18 539007547034", false)]
    [InlineData("RF17539007547034", false)]
    [InlineData("XX18539007547034", false)]
    public void IsCreditorReference_Iso11649CheckDigits(string reference, bool valid)
    {
        Assert.Equal(valid, CausaleParser.IsCreditorReference(reference));
    }
}
