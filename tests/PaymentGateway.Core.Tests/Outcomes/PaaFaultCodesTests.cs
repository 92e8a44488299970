using PaymentGateway.Core.Outcomes;

namespace PaymentGateway.Core.Tests.Outcomes;

public class PaaFaultCodesTests
{
    [Theory]
    [InlineData(PaaFaultCode.SintassiXsd, "PAA_SINTASSI_XSD")]
    [InlineData(PaaFaultCode.SintassiExtraXsd, "PAA_SINTASSI_EXTRAXSD")]
    [InlineData(PaaFaultCode.IdDominioErrato, "PAA_ID_DOMINIO_ERRATO")]
    [InlineData(PaaFaultCode.IdIntermediarioErrato, "PAA_ID_INTERMEDIARIO_ERRATO")]
    [InlineData(PaaFaultCode.StazioneIntErrata, "PAA_STAZIONE_INT_ERRATA")]
    [InlineData(PaaFaultCode.PagamentoSconosciuto, "PAA_PAGAMENTO_SCONOSCIUTO")]
    [InlineData(PaaFaultCode.PagamentoDuplicato, "PAA_PAGAMENTO_DUPLICATO")]
    [InlineData(PaaFaultCode.PagamentoScaduto, "PAA_PAGAMENTO_SCADUTO")]
    [InlineData(PaaFaultCode.PagamentoAnnullato, "PAA_PAGAMENTO_ANNULLATO")]
    [InlineData(PaaFaultCode.PagamentoInCorso, "PAA_PAGAMENTO_IN_CORSO")]
    [InlineData(PaaFaultCode.Semantica, "PAA_SEMANTICA")]
    [InlineData(PaaFaultCode.SystemError, "PAA_SYSTEM_ERROR")]
    public void ToWireCode_EveryCode_MatchesOfficialName(PaaFaultCode code, string wire)
    {
        Assert.Equal(wire, code.ToWireCode());
        Assert.True(PaaFaultCodes.TryParseWireCode(wire, out var parsed));
        Assert.Equal(code, parsed);
        Assert.False(string.IsNullOrWhiteSpace(code.DefaultFaultString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("paa_semantica")]
    [InlineData("PAA_RT_DUPLICATA")]
    [InlineData("PPT_STAZIONE_INT_PA_TIMEOUT")]
    public void TryParseWireCode_Unknown_ReturnsFalse(string? wire) =>
        Assert.False(PaaFaultCodes.TryParseWireCode(wire, out _));

    [Fact]
    public void DefaultFaultString_Sconosciuto_IsStandardText() =>
        Assert.Equal("Pagamento in attesa risulta sconosciuto all'Ente Creditore", PaaFaultCode.PagamentoSconosciuto.DefaultFaultString());

    [Fact]
    public void UndefinedCode_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((PaaFaultCode)99).ToWireCode());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((PaaFaultCode)99).DefaultFaultString());
    }

    [Fact]
    public void PaaFault_ExposesWireCodeAndString()
    {
        var fault = new PaaFault(PaaFaultCode.PagamentoDuplicato, "notice 301000000000000144 already paid");
        Assert.Equal("PAA_PAGAMENTO_DUPLICATO", fault.FaultCode);
        Assert.Equal("Pagamento in attesa risulta concluso all'Ente Creditore", fault.FaultString);
        Assert.Equal(PaaFault.Of(PaaFaultCode.Semantica), new PaaFault(PaaFaultCode.Semantica, "Errore semantico"));
    }
}
